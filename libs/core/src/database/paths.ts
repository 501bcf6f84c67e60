import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'porch'
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no Porch package.json above ${from}`);
    dir = parent;
  }
}

/** The repository root, whether running from source (Jest) or from `dist/`. */
export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
