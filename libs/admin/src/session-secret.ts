import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '#porch/core';

function readSecret(file: string): string | undefined {
  try {
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
  mkdirSync(config.DATA_DIR, { recursive: true });
  try {
    // 'wx': of two processes starting at once, one writes and the other reads its secret.
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = readSecret(file);
  if (!secret) throw new Error(`could not read the session secret in ${file}`);
  return secret;
}
