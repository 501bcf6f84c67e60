/** Option parsers shared by the commands: a bad value is an error naming the option. */
export function parseNonNegativeInt(value: string, option: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new Error(`${option} must be a whole number, got "${value}"`);
  return Number(value);
}
