// Imported first by every entry point, with no imports of its own: on an older Node.js, a clear
// message instead of the first missing API's error. The range is package.json's `engines`.
const REQUIRED_MAJOR = 24;

const major = Number(process.versions.node.split('.')[0]);
if (major < REQUIRED_MAJOR) {
  console.error(
    `Porch needs Node.js ${REQUIRED_MAJOR} (package.json "engines"); this is ${process.version}.\n` +
      'Install Node.js 24 LTS, or run `source scripts/node24.sh` in this shell: it fetches the ' +
      'pinned Node.js 24 from the npm registry into .tools/.',
  );
  process.exit(1);
}

export {};
