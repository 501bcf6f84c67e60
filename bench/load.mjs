// Drives one endpoint with wrk (Debian's `wrk`, C, epoll): a warm-up, then N measured runs; the
// median run by req/s is reported, with the server's CPU time per request over the measured runs.
// A Node load generator on the same two cores took more CPU than the server it measured; wrk
// takes a fraction of it, so req/s and p99 say more about the server. One wrk thread by default
// (`--threads`): it drives 50,000+ req/s on its own, and on two cores a second one only competes
// with the server's one JavaScript thread for the CPU (measured back to back on GET
// /health-regions, one server: p99 155 and 27 ms with two threads, 11 ms with one).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLOCK_TICKS, cpuMs, rssSampler } from './server.mjs';

const run = promisify(execFile);

/** Busy (non-idle, non-iowait) CPU time of the whole machine so far, ms, from /proc/stat. */
function machineBusyMs() {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .map(Number);
    const [user, nice, system, , , irq, softirq, steal] = ticks;
    return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
export const WRK = process.env.WRK ?? 'wrk';

/**
 * A wrk script cycling over `requests` ({ method, path, headers, body }), formatted once per
 * thread at start. A body containing UUID_PLACEHOLDER gets a fresh random UUID per request.
 * The requests go in a data file beside the script, one per line, read by the script at load:
 * written into the script as a table, tens of thousands of distinct bodies passed LuaJIT's limit
 * of 65,536 constants a function, and wrk then sent its default request (`GET /`) instead.
 */
export const UUID_PLACEHOLDER = '00000000-0000-4000-8000-000000000000';
const FIELD = '\t';
const HEADER = '\x1f';
const SEPARATORS = ['\t', '\n', '\r', HEADER];
function requestLines(requests) {
  return requests
    .map((r) => {
      const headers = Object.entries(r.headers ?? {});
      for (const v of [r.method ?? 'GET', r.path, r.body ?? '', ...headers.flat()])
        if (SEPARATORS.some((c) => v.includes(c)))
          throw new Error(`a bench request holds a tab, a newline or \\x1f: ${v}`);
      return [
        r.method ?? 'GET',
        r.path,
        headers.map(([k, v]) => `${k}: ${v}`).join(HEADER),
        r.body === undefined ? 'N' : `B${r.body}`,
        r.body?.includes(UUID_PLACEHOLDER) ? '1' : '0',
      ].join(FIELD);
    })
    .join('\n');
}
function script(dataFile, threads) {
  return `local function split(s, sep)
  local out, start = {}, 1
  while true do
    local a, b = string.find(s, sep, start, true)
    if not a then out[#out + 1] = string.sub(s, start) return out end
    out[#out + 1] = string.sub(s, start, a - 1)
    start = b + 1
  end
end
local rows = {}
for line in io.lines(${JSON.stringify(dataFile)}) do
  local f = split(line, "\\t")
  local headers = {}
  if f[3] ~= "" then
    for _, h in ipairs(split(f[3], "\\31")) do
      local a = string.find(h, ": ", 1, true)
      headers[string.sub(h, 1, a - 1)] = string.sub(h, a + 2)
    end
  end
  local body = nil
  if string.sub(f[4], 1, 1) == "B" then body = string.sub(f[4], 2) end
  rows[#rows + 1] = { f[1], f[2], headers, body, f[5] == "1" }
end
assert(#rows > 0, "no requests in ${dataFile}")
local reqs, templates = {}, {}
local n, i = #rows, 0
local function uuid()
  return (string.gsub('xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx', '[xy]', function (c)
    local v = (c == 'x') and math.random(0, 15) or math.random(8, 11)
    return string.format('%x', v)
  end))
end
local started = 0
function setup(thread)
  thread:set('tid', started)
  started = started + 1
end
function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  for k, r in ipairs(rows) do
    if r[5] then templates[k] = r else reqs[k] = wrk.format(r[1], r[2], r[3], r[4]) end
  end
  -- The threads start evenly spaced over the list, each past what it sent in this target's earlier
  -- runs (args[1]): distinct requests (writes) until they wrap.
  i = math.floor((tid or 0) * n / ${threads}) + (tonumber(args[1]) or 0)
end
function request()
  i = i + 1
  local k = (i % n) + 1
  local t = templates[k]
  if t then
    local body = string.gsub(t[4], '${UUID_PLACEHOLDER.replace(/-/g, '%-')}', uuid())
    return wrk.format(t[1], t[2], t[3], body)
  end
  return reqs[k]
end
`;
}

const UNITS = { us: 0.001, ms: 1, s: 1000, m: 60000 };
const toMs = (v, unit) => +(Number(v) * UNITS[unit]).toFixed(2);

/** Parses wrk's report (with --latency). */
export function parseWrk(out) {
  const pct = {};
  for (const m of out.matchAll(/^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$/gm))
    pct[m[1]] = toMs(m[2], m[3]);
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(out);
  const non = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  return {
    requests: total ? Number(total[1]) : 0,
    seconds: total ? toMs(total[2], total[3]) / 1000 : 0,
    reqPerSec: rps ? Math.round(Number(rps[1])) : 0,
    p50: pct['50'] ?? null,
    p90: pct['90'] ?? null,
    p99: pct['99'] ?? null,
    non2xx: non ? Number(non[1]) : 0,
    errors: sock ? sock.slice(1).reduce((n, x) => n + Number(x), 0) : 0,
  };
}

async function wrk(base, file, { connections, duration, threads }, offset = 0) {
  const { stdout, stderr } = await run(
    WRK,
    [
      '-t',
      String(threads),
      '-c',
      String(connections),
      '-d',
      `${duration}s`,
      '--timeout',
      '10s',
      '--latency',
      '-s',
      file,
      base,
      '--',
      String(offset),
    ],
    { maxBuffer: 1 << 20 },
  );
  // A script error (wrk goes on with its default request, GET /) must stop the bench, not be measured.
  if (stderr.trim()) throw new Error(`wrk ${file}: ${stderr.trim().slice(0, 2000)}`);
  return parseWrk(stdout);
}

/**
 * `target`: { name, requests: [{ method, path, headers, body }] }. Returns the median run by req/s
 * with latency percentiles, non-2xx/3xx count, the server's peak RSS and CPU µs per request.
 */
export async function measure(
  server,
  target,
  { connections = 64, duration = 8, runs = 1, warmup = 2, threads = 1 } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'porch-wrk-'));
  const file = join(dir, `${target.name}.lua`);
  const data = join(dir, `${target.name}.requests`);
  writeFileSync(data, requestLines(target.requests));
  writeFileSync(file, script(data, threads));
  try {
    const opts = { connections, threads };
    // Each run starts each thread past the requests it sent before (with a margin: the threads'
    // counts differ a little), so a write's warm-up does not turn its measured run into 409s.
    let sent = 0;
    const next = async (duration) => {
      const r = await wrk(
        server.base,
        file,
        { ...opts, duration },
        Math.ceil((sent / threads) * 1.2),
      );
      sent += r.requests;
      return r;
    };
    if (warmup > 0) await next(warmup);
    const sampler = rssSampler(server.pid);
    const cpuBefore = cpuMs(server.pid);
    const machineBefore = machineBusyMs();
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await next(duration));
    const cpuSpent = cpuMs(server.pid) - cpuBefore;
    const machineSpent = machineBusyMs() - machineBefore;
    const peakRssMb = sampler.stop();
    const requests = results.reduce((n, r) => n + r.requests, 0);
    results.sort((a, b) => a.reqPerSec - b.reqPerSec);
    const median = results[Math.floor(results.length / 2)];
    return {
      endpoint: target.name,
      connections,
      runs: results.map((r) => r.reqPerSec),
      reqPerSec: median.reqPerSec,
      p50: median.p50,
      p90: median.p90,
      p99: median.p99,
      non2xx: results.reduce((n, r) => n + r.non2xx, 0),
      errors: results.reduce((n, r) => n + r.errors, 0),
      peakRssMb: Math.round(peakRssMb),
      // utime + stime of the server process (and its cluster workers) from /proc over the measured
      // runs, divided by the requests wrk completed in them.
      cpuUsPerRequest: server.pid && requests ? Math.round((cpuSpent * 1000) / requests) : null,
      // Every process's (the server, PostgreSQL, wrk, the kernel's network work): on a saturated
      // machine req/s is the cores' time divided by this.
      machineUsPerRequest: requests ? Math.round((machineSpent * 1000) / requests) : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
