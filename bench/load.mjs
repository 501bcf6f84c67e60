// Runs autocannon against one endpoint: warm-up, then N measured runs; reports the median run.
import autocannon from 'autocannon';
import { cpuMs, rssSampler } from './server.mjs';

function run(options) {
  return new Promise((done, fail) => {
    autocannon(options, (err, result) => (err ? fail(err) : done(result)));
  });
}

/**
 * `target`: { name, requests: autocannon requests array }. Returns the median run by req/s with
 * latency percentiles, non-2xx count, the server's peak RSS and its CPU time per request.
 */
export async function measure(server, target, { connections = 64, duration = 10, runs = 3, warmup = 3 } = {}) {
  const base = { url: server.base, connections, requests: target.requests, pipelining: 1 };
  if (warmup > 0) await run({ ...base, duration: warmup });
  const sampler = rssSampler(server.pid);
  const cpuBefore = cpuMs(server.pid);
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await run({ ...base, duration }));
  const cpuSpent = cpuMs(server.pid) - cpuBefore;
  const peakRssMb = sampler.stop();
  const requests = results.reduce((n, r) => n + r.requests.total, 0);
  results.sort((a, b) => a.requests.average - b.requests.average);
  const median = results[Math.floor(results.length / 2)];
  return {
    endpoint: target.name,
    connections,
    runs: results.map((r) => Math.round(r.requests.average)),
    reqPerSec: Math.round(median.requests.average),
    p50: median.latency.p50,
    p97_5: median.latency.p97_5,
    p99: median.latency.p99,
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    statuses: Object.fromEntries(
      Object.entries(median.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]),
    ),
    errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
    peakRssMb: Math.round(peakRssMb),
    // The server's CPU time per request over all measured runs: on a machine whose two cores
    // also run the load generator and PostgreSQL, this is the figure that compares best.
    cpuUsPerRequest: server.pid && requests ? Math.round((cpuSpent * 1000) / requests) : null,
  };
}
