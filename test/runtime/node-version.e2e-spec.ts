import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const CHECK = join(ROOT, 'apps', 'api', 'src', 'node-version.ts');

/** Runs the entry points' Node.js check as if this Node.js were `version`. */
function runAs(version: string) {
  const pretend =
    `Object.defineProperty(process, 'version', { value: 'v${version}' });` +
    `Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '${version}' } });`;
  return spawnSync(process.execPath, ['--import', `data:text/javascript,${pretend}`, CHECK], {
    encoding: 'utf8',
  });
}

describe('the Node.js version check every entry point imports first', () => {
  it('stops an older Node.js with a message that says what to do', () => {
    const run = runAs('20.20.2');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Porch needs Node.js 24');
    expect(run.stderr).toContain('v20.20.2');
    expect(run.stderr).toContain('source scripts/node24.sh');
  });

  it('lets Node.js 24 through silently', () => {
    const run = runAs(process.versions.node);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it("asks for the major version package.json's engines names", () => {
    const { engines } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(engines.node).toMatch(/^>=24\./);
    expect(readFileSync(CHECK, 'utf8')).toContain('const REQUIRED_MAJOR = 24;');
  });
});
