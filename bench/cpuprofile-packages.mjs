// Self time by package (node_modules/<pkg>, dist/<lib>, node:*), µs per request, of one or two
// .cpuprofile files: where a path spends its CPU, and (with two) how two paths differ.
//   node bench/cpuprofile-packages.mjs A.cpuprofile requestsA [B.cpuprofile requestsB]
import { readFileSync } from 'node:fs';

function byPackage(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const pkgOf = new Map();
  for (const n of profile.nodes) {
    const url = n.callFrame.url;
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    const d = /\/dist\/(libs|apps)\/([^/]+)\/src\/([^/]+)/.exec(url);
    pkgOf.set(
      n.id,
      m
        ? m[1]
        : d
          ? `porch:${d[2]}/${d[3]}`
          : url.startsWith('node:')
            ? url.split('/').slice(0, 2).join('/')
            : n.callFrame.functionName || '(native)',
    );
  }
  const time = new Map();
  profile.samples.forEach((id, i) => {
    const k = pkgOf.get(id);
    if (k === '(idle)') return;
    time.set(k, (time.get(k) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  });
  return time;
}
const [a, na, b, nb] = process.argv.slice(2);
const ta = byPackage(a);
const tb = b ? byPackage(b) : new Map();
const rows = [...new Set([...ta.keys(), ...tb.keys()])].map((k) => [
  k,
  (ta.get(k) ?? 0) / Number(na),
  b ? (tb.get(k) ?? 0) / Number(nb) : 0,
]);
rows.sort((x, y) => (b ? Math.abs(y[2] - y[1]) - Math.abs(x[2] - x[1]) : y[1] - x[1]));
let sa = 0,
  sb = 0;
for (const [, x, y] of rows) {
  sa += x;
  sb += y;
}
console.log(
  `${'total'.padEnd(50)} ${sa.toFixed(0).padStart(6)} ${b ? sb.toFixed(0).padStart(6) : ''}`,
);
for (const [k, x, y] of rows.slice(0, 45))
  console.log(
    `${k.padEnd(50)} ${x.toFixed(0).padStart(6)} ${b ? `${y.toFixed(0).padStart(6)} ${(y - x).toFixed(0).padStart(6)}` : ''}`,
  );
