/**
 * Build step (`scripts/build.mjs` runs it after `nest build`): prebuilds the admin panel's browser
 * bundles into `dist/adminjs` with @adminjs/bundler, so a production start does no bundling
 * (AdminPanelModule then sets ADMIN_JS_SKIP_BUNDLE and serves these files). Skipped when nothing
 * it depends on changed.
 *
 *   node dist/libs/admin/src/bundle.js [--force]
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '#porch/core';

const DEST = 'dist/adminjs';

async function main(): Promise<void> {
  // AdminJS reads these when it is first imported: set them before any import of it.
  process.env.NODE_ENV = 'production';
  process.env.ADMIN_JS_SKIP_BUNDLE = 'false';
  process.env.ADMIN_JS_TMP_DIR = join(REPO_ROOT, DEST);

  // tsc leaves the .jsx components out of dist: copy them next to the compiled loader.
  const source = join(REPO_ROOT, 'libs/admin/src/components');
  const target = join(dirname(fileURLToPath(import.meta.url)), 'components');
  const components = readdirSync(source).filter((file) => file.endsWith('.jsx'));
  mkdirSync(target, { recursive: true });
  if (target !== source) {
    for (const file of components) copyFileSync(join(source, file), join(target, file));
  }

  const adminjsVersion = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/adminjs/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const fingerprint = JSON.stringify({
    adminjsVersion,
    components: components.map((file) => {
      const stat = statSync(join(source, file));
      return [file, stat.size, stat.mtimeMs];
    }),
  });
  const marker = join(REPO_ROOT, DEST, 'porch-bundle.json');
  const upToDate =
    existsSync(join(REPO_ROOT, DEST, 'components.bundle.js')) &&
    existsSync(marker) &&
    readFileSync(marker, 'utf8') === fingerprint;
  if (upToDate && !process.argv.includes('--force')) {
    return;
  }

  const { componentLoader } = await import('./components/index.js');
  const { bundle } = await import('@adminjs/bundler');
  // The bundler resolves every path against the working directory.
  process.chdir(REPO_ROOT);
  const files = await bundle({
    componentLoader,
    destinationDir: DEST,
    adminJsLocalDir: DEST,
  });
  writeFileSync(marker, fingerprint);
  console.log(
    `admin bundle: ${files.map((f) => relative(REPO_ROOT, f.destinationPath)).join(', ')}`,
  );
}

main().catch((error: unknown) => {
  console.error('admin bundle failed:', error);
  process.exit(1);
});
