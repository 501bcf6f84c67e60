// Help texts of this build, so that `manage --help` and `manage <command> --help` answer without
// loading the application's ~2,500 modules (about 1.5 s) once they have been shown. Kept in
// dist/, tied to the build's stamp (scripts/build.mjs): any rebuild makes them stale. Only
// node:* imports here: this runs before anything else is loaded.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../../../', import.meta.url));
const CACHE = `${DIST}.manage-help.json`;
const STAMP = `${DIST}.build-stamp.json`;

interface HelpCache {
  build: string;
  texts: Record<string, string>;
}

/** The key of a pure help request (`--help`, `help`, `<command> --help`, `help <command>`). */
export function helpKey(args: readonly string[]): string | undefined {
  const [first, second, ...rest] = args;
  if (rest.length) return undefined;
  const isHelp = (arg?: string) => arg === '--help' || arg === '-h';
  let command: string | undefined;
  if (isHelp(first) && second === undefined) command = '';
  else if (first === 'help' && (second === undefined || /^[a-z-]+$/.test(second)))
    command = second ?? '';
  else if (first && /^[a-z-]+$/.test(first) && isHelp(second)) command = first;
  // Commander wraps help to the terminal's width.
  return command === undefined ? undefined : `${process.stdout.columns ?? 80}:${command}`;
}

function build(): string | undefined {
  try {
    return (JSON.parse(readFileSync(STAMP, 'utf8')) as { fingerprint?: string }).fingerprint;
  } catch {
    return undefined;
  }
}

function read(): HelpCache | undefined {
  try {
    const cache = JSON.parse(readFileSync(CACHE, 'utf8')) as HelpCache;
    return cache.build === build() ? cache : undefined;
  } catch {
    return undefined;
  }
}

export function cachedHelp(key: string): string | undefined {
  return read()?.texts[key];
}

/** Remembers a help text for this build; silently not where dist/ is read-only (the image). */
export function rememberHelp(key: string, text: string): void {
  const current = build();
  if (!current || !text) return;
  const cache = read() ?? { build: current, texts: {} };
  cache.texts[key] = text;
  try {
    writeFileSync(CACHE, JSON.stringify(cache));
  } catch {
    // Read-only: every help request then builds its text, as without a cache.
  }
}
