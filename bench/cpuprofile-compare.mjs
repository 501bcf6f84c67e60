// Two .cpuprofile files side by side: inclusive µs per request for each function, largest gap first.
//   node bench/cpuprofile-compare.mjs A.cpuprofile requestsA B.cpuprofile requestsB [rows = 60]
// SELF=1: self time instead. Counts a function once per sample even when it recurses. Start-up shows too: compare profiles
// of servers that served many requests (bench/micro.mjs) so that it is small beside them.
import { readFileSync } from 'node:fs';

function inclusive(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = ({ callFrame: f }) =>
    `${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\//, '').replace(/^file:\/\/.*?\/dist\//, 'dist/')}:${f.lineNumber + 1}`;
  const time = new Map();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const seen = new Set();
    for (let n = id; n !== undefined; n = process.env.SELF ? undefined : parent.get(n)) {
      const l = label(byId.get(n));
      if (l.startsWith('(idle)') || seen.has(l)) continue;
      seen.add(l);
      time.set(l, (time.get(l) ?? 0) + dt);
    }
  });
  return time;
}
const [a, na, b, nb, rows = '60'] = process.argv.slice(2);
const ta = inclusive(a);
const tb = inclusive(b);
const keys = new Set([...ta.keys(), ...tb.keys()]);
const list = [...keys].map((k) => [
  k,
  (ta.get(k) ?? 0) / Number(na),
  (tb.get(k) ?? 0) / Number(nb),
]);
list.sort((x, y) => Math.abs(y[2] - y[1]) - Math.abs(x[2] - x[1]));
console.log('   A µs    B µs   B−A   function');
for (const [k, x, y] of list.slice(0, Number(rows)))
  console.log(
    `${x.toFixed(0).padStart(7)} ${y.toFixed(0).padStart(7)} ${(y - x).toFixed(0).padStart(5)}   ${k.slice(0, 120)}`,
  );
