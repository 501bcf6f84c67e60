#!/usr/bin/env node
// The build: `nest build` (tsc + the Swagger CLI plugin) over apps and libs, then the admin
// panel's browser bundle (rebuilt only when its components changed; see libs/admin/src/bundle.ts).
//
//   node scripts/build.mjs              always builds (CI, `npm run build`)
//   node scripts/build.mjs --if-stale   builds only when a source changed (`npm start`, `manage`)
//
// "Changed" is a fingerprint of every build input (path, size, mtime) compared with the one
// stamped in dist/ by the last successful build: a few milliseconds, where a no-op `nest build`
// costs 15 s of CPU here (the CLI emits, and writes a tsbuildinfo, before it type-checks, so an
// incremental tsbuildinfo never records the checked state and every run checks all files again).
// A source deleted since the last build also loses its compiled file, so a removed migration is
// not run from a stale dist/. Without sources (the Docker image ships dist/ only) nothing is built.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'dist', '.build-stamp.json');
const SOURCE_DIRS = ['apps', 'libs'];
const CONFIG_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];

/** Files under `apps/<x>/src` and `libs/<x>/src` that the build reads (specs are not built). */
function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|jsx|js|json)$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name))
        files.push(relative(root, path));
    }
  };
  for (const top of SOURCE_DIRS) {
    const dir = join(root, top);
    if (!existsSync(dir)) continue;
    for (const pkg of readdirSync(dir)) {
      const src = join(dir, pkg, 'src');
      if (existsSync(src)) walk(src);
    }
  }
  return files.sort();
}

function fingerprint(files) {
  const hash = createHash('sha256');
  for (const file of [...CONFIG_FILES, ...files]) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    const { size, mtimeMs } = statSync(path);
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Compiled output of sources that no longer exist (a deleted migration must not run from dist). */
function removeOrphans(previous, current) {
  const now = new Set(current);
  for (const file of previous ?? []) {
    if (now.has(file) || !/\.tsx?$/.test(file)) continue;
    const out = join(root, 'dist', file.replace(/\.tsx?$/, '.js'));
    for (const path of [out, `${out}.map`]) rmSync(path, { force: true });
  }
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const ifStale = process.argv.includes('--if-stale');
// A tree without the build's configuration is not a checkout: the Docker image ships dist/ (and
// a few source files it reads, such as the migrations), and dist/ is what it runs.
if (!existsSync(join(root, 'tsconfig.build.json')) || !existsSync(join(root, 'apps'))) {
  if (ifStale) process.exit(0);
  console.error('build: not a checkout (no tsconfig.build.json or apps/): nothing to build');
  process.exit(1);
}
const files = sourceFiles();
const before = fingerprint(files);
const stamp = readStamp();
if (ifStale && stamp?.fingerprint === before && existsSync(join(root, 'dist/apps/api/src/main.js'))) {
  process.exit(0);
}
if (ifStale) console.error(stamp ? 'build: sources changed, rebuilding…' : 'build: first build…');
const started = Date.now();
removeOrphans(stamp?.files, files);
rmSync(stampFile, { force: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);
run(bin('nest'), ['build', 'api', '-p', 'tsconfig.build.json']);
run(process.execPath, [join(root, 'dist/libs/admin/src/bundle.js')]);
mkdirSync(dirname(stampFile), { recursive: true });
// The fingerprint taken before the build: a file edited while it ran makes the next run build.
writeFileSync(stampFile, JSON.stringify({ fingerprint: before, files }) + '\n');
if (ifStale) console.error(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
