/**
 * What a command tells its user, on stdout (written directly rather than through `console`, so
 * tests capture it the same way a shell does).
 */
export function say(message: string): void {
  process.stdout.write(`${message}\n`);
}
