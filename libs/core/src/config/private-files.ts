import { mkdirSync } from 'node:fs';

/**
 * Local state that holds secrets (the session secret, sent emails with reset codes; the
 * embedded database's password, see embedded-postgres.ts) is readable by its owner only.
 */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

/** Creates `dir` (and missing parents) as 0700; an existing folder keeps its mode. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
}
