import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Local state that holds secrets (the embedded database's password, the session secret, sent
 * emails with reset codes) is readable by its owner only: files 0600, folders 0700.
 */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

/** Creates `dir` (and missing parents) as 0700; an existing folder keeps its mode. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
}

/**
 * Writes `data` to `file` as 0600, whatever mode an older file had: a temporary file of that
 * mode beside it, renamed over it (readers never see half a file).
 */
export function writePrivateFile(file: string, data: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}`);
  writeFileSync(temp, data, { mode: PRIVATE_FILE, flag: 'wx' });
  chmodSync(temp, PRIVATE_FILE); // the umask may have taken bits off; never added any
  renameSync(temp, file);
}
