import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { REPO_ROOT } from '#porch/core';
import { say } from '../output.js';

interface GenEnvOptions {
  force?: boolean;
  path?: string;
}

export const ENV_EXAMPLE = join(REPO_ROOT, 'config', '.env.example');

/** Variables gen-env fills when the example leaves them empty. */
const SECRET_NAME = /(_SECRET|_KEY)$/;

/** The example's text with every empty secret filled in, and the names it filled. */
export function fillSecrets(example: string): { text: string; generated: string[] } {
  const generated: string[] = [];
  const text = example.replace(/^([A-Z][A-Z0-9_]*)=[ \t]*$/gm, (line, name: string) => {
    if (!SECRET_NAME.test(name)) return line;
    generated.push(name);
    return `${name}=${randomBytes(48).toString('base64url')}`;
  });
  return { text, generated };
}

@Command({
  name: 'gen-env',
  description:
    'Write .env from config/.env.example with fresh random secrets (never overwrites without --force)',
})
export class GenEnvCommand extends CommandRunner {
  async run(_args: string[], options: GenEnvOptions): Promise<void> {
    const target = resolve(options.path ?? '.env');
    const { text, generated } = fillSecrets(await readFile(ENV_EXAMPLE, 'utf8'));
    const header = `# Written by \`npm run manage -- gen-env\` on ${new Date().toISOString()}. Keep it out of git.\n`;
    try {
      // 'wx' fails if the file exists: no window between a check and the write.
      await writeFile(target, header + text, { mode: 0o600, flag: options.force ? 'w' : 'wx' });
      // --force over an existing file keeps that file's mode: make it private all the same.
      await chmod(target, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new Error(`${target} exists: not overwriting it (use --force to replace it).`);
      }
      throw e;
    }
    say(
      `Wrote ${target}${generated.length ? ` with fresh ${generated.join(', ')}` : ''}. Edit it to taste; real environment variables win over it.`,
    );
  }

  @Option({ flags: '-f, --force', description: 'Replace an existing file' })
  parseForce(): boolean {
    return true;
  }

  @Option({ flags: '--path <file>', description: 'Where to write (default: .env here)' })
  parsePath(value: string): string {
    return value;
  }
}
