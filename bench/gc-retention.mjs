// node bench/gc-retention.mjs — what makes short-lived objects outlive V8's minor collections.
// Each case runs the same "request" (a Map of twenty small objects, dropped a few requests later)
// for two seconds, holding it the way one code path of the server did, and reports V8's
// collections: minor (scavenges) and major (mark-compact). Promoted garbage shows as major
// collections; a case that keeps nothing shows none. The README's benchmark section says which
// code paths these stand for (the global interceptor, the GraphQL selection cache).
import { AsyncResource } from 'node:async_hooks';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises';

const longLived = new WeakMap();
const cases = {
  /** The request's objects referenced only from the request itself. */
  plain: (request) => request,
  /** Kept in a long-lived WeakMap under a key that dies with the request. */
  weakmap: (request) => {
    const key = {};
    longLived.set(key, request);
    return key;
  },
  /** Captured by a closure made with AsyncResource.bind (Nest's InterceptorsConsumer). */
  bind: (request) => AsyncResource.bind(() => request),
};

async function run(name) {
  const hold = cases[name];
  const counts = { minor: 0, major: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) counts.minor++;
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) counts.major++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const inFlight = [];
  let requests = 0;
  const until = Date.now() + 2000;
  while (Date.now() < until) {
    for (let i = 0; i < 1000; i++, requests++) {
      const request = new Map();
      for (let f = 0; f < 20; f++) request.set(`f${f}`, { f, pair: [f, f + 1] });
      inFlight.push(hold(request));
      if (inFlight.length > 64) inFlight.shift();
    }
    // Let the observer's callbacks run.
    await tick();
  }
  await sleep(50);
  observer.disconnect();
  console.log(
    `${name.padEnd(8)} ${String(requests).padStart(8)} requests  ${String(counts.minor).padStart(5)} minor  ${String(counts.major).padStart(4)} major collections`,
  );
}

for (const name of process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(cases))
  await run(name);
