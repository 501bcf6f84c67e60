import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '#porch/core';
import { resolveSessionSecret } from './session-secret.js';

describe('resolveSessionSecret', () => {
  it('uses SESSION_SECRET when set', () => {
    const secret = 'x'.repeat(40);
    expect(resolveSessionSecret(loadConfig({ SESSION_SECRET: secret }))).toBe(secret);
  });

  it('keeps a generated secret under DATA_DIR in development, the same for every process', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'porch-secret-')), 'data');
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir });
    const first = resolveSessionSecret(config);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(resolveSessionSecret(config)).toBe(first);
    expect(readFileSync(join(dir, 'session-secret'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'session-secret')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // Left world-readable by an older version: made private when next read.
    chmodSync(join(dir, 'session-secret'), 0o644);
    expect(resolveSessionSecret(config)).toBe(first);
    expect(statSync(join(dir, 'session-secret')).mode & 0o777).toBe(0o600);
  });
});
