import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE, type AppConfig } from '#porch/core';

function readSecret(file: string): string | undefined {
  try {
    // One written by an older version may be world-readable: not any more.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, PRIVATE_FILE);
    const secret = readFileSync(file, 'utf8').trim();
    return secret.length >= 32 ? secret : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key that signs admin session cookies: SESSION_SECRET (required in production). Without it,
 * development keeps a generated one in `<DATA_DIR>/session-secret`, so sessions survive restarts
 * and are shared by every process on that data dir; tests use a throwaway one.
 */
export function resolveSessionSecret(config: AppConfig): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  if (config.isProduction) throw new Error('SESSION_SECRET is required in production');
  if (config.NODE_ENV === 'test') return randomBytes(32).toString('hex');
  const file = join(config.DATA_DIR, 'session-secret');
  const existing = readSecret(file);
  if (existing) return existing;
  ensurePrivateDir(config.DATA_DIR);
  try {
    // 'wx': of two processes starting at once, one writes and the other reads its secret.
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: PRIVATE_FILE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = readSecret(file);
  if (!secret) throw new Error(`could not read the session secret in ${file}`);
  return secret;
}
