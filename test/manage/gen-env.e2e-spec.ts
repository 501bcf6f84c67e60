import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { AppConfig, loadConfig } from '#porch/core';
import { parse } from 'dotenv';
import { ENV_EXAMPLE, GenEnvCommand } from '../../apps/manage/src/commands/gen-env.command.js';
import { captureStdout } from '../utils/manage.js';

/** gen-env needs no database: the command is used directly. */
describe('manage gen-env', () => {
  const command = new GenEnvCommand();
  const dir = mkdtempSync(join(tmpdir(), 'porch-env-'));
  const run = (options: { path?: string; force?: boolean }) =>
    captureStdout(() => command.run([], options));

  it('writes .env with a fresh SESSION_SECRET that the config accepts', async () => {
    const path = join(dir, '.env');
    const out = await run({ path });
    expect(out).toContain(`Wrote ${path} with fresh SESSION_SECRET`);
    expect(out).not.toMatch(/SESSION_SECRET=/); // says where, not what
    const env = parse(readFileSync(path, 'utf8'));
    expect(env.SESSION_SECRET).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(
      loadConfig({ ...env, NODE_ENV: 'production', DATABASE_URL: 'postgres://x@y/z' })
        .SESSION_SECRET,
    ).toBe(env.SESSION_SECRET);
    expect(statSync(path).mode & 0o077).toBe(0); // owner-only
  });

  it('refuses to overwrite an existing file without --force', async () => {
    const path = join(dir, 'kept.env');
    writeFileSync(path, 'MINE=1\n');
    await expect(run({ path })).rejects.toThrow(/exists: not overwriting it \(use --force/);
    expect(readFileSync(path, 'utf8')).toBe('MINE=1\n');
  });

  it('overwrites with --force, with a new secret each time', async () => {
    const path = join(dir, 'forced.env');
    await run({ path });
    const first = parse(readFileSync(path, 'utf8')).SESSION_SECRET;
    chmodSync(path, 0o644); // as if someone had loosened it
    await run({ path, force: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const second = parse(readFileSync(path, 'utf8')).SESSION_SECRET;
    expect(second).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(second).not.toBe(first);
  });

  it('config/.env.example documents every AppConfig variable', () => {
    const example = readFileSync(ENV_EXAMPLE, 'utf8');
    const variables = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(AppConfig, '', true, false)
        .map((m) => m.propertyName),
    );
    expect(variables.size).toBeGreaterThan(20);
    for (const name of variables) expect(example).toMatch(new RegExp(`^(# )?${name}=`, 'm'));
  });
});
