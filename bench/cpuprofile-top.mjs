// Where a server's CPU went under load: self and inclusive time by function, from a .cpuprofile.
//   NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" node bench/run.mjs --quick --only invites-list-graphql --no-baseline --no-10x
//   node bench/cpuprofile-top.mjs /tmp/prof/CPU.….cpuprofile [window s = 9] [rows = 40]
// The server's profile is the largest of the API process's (the bench runner and build write
// their own). Only the last `window` seconds count: the warm-up and run, not the start-up's
// module loading. Times are % of busy (non-idle) time. Async callers are lost at `await`s, so
// database work shows under processTicksAndRejections rather than under its resolver.
import { readFileSync } from 'node:fs';

const [file, windowS = '9', rowsArg = '40'] = process.argv.slice(2);
if (!file)
  throw new Error('usage: node bench/cpuprofile-top.mjs FILE.cpuprofile [window s] [rows]');
const profile = JSON.parse(readFileSync(file, 'utf8'));
const rows = Number(rowsArg);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const from = profile.endTime - Number(windowS) * 1e6;
const timeOf = new Map();
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i];
  if (at > from) timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
});

const label = ({ callFrame: f }) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\//, '').replace(/^file:\/\/.*?\/dist\//, 'dist/')}:${f.lineNumber + 1}`;
const self = new Map();
const inclusive = new Map();
let total = 0;
let idle = 0;
for (const [id, t] of timeOf) {
  const node = byId.get(id);
  total += t;
  if (node.callFrame.functionName === '(idle)') idle += t;
  self.set(label(node), (self.get(label(node)) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const key = label(byId.get(cur));
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + t);
  }
}
const busy = total - idle;
const top = (map) =>
  [...map]
    .filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(root)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([k, t]) => `${((t / busy) * 100).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
console.log(
  `last ${windowS} s: ${(total / 1000).toFixed(0)} ms, busy ${(busy / 1000).toFixed(0)} ms`,
);
console.log(`\n-- self time\n${top(self)}\n\n-- inclusive time\n${top(inclusive)}`);
