/**
 * Errors that mean "a backend is unreachable right now" rather than "this request is wrong":
 * PostgreSQL restarting, failing over or dropping connections, a full pool, Redis down. They are
 * answered 503 with Retry-After (SPEC §2: outages are 503, never 500), and the client may retry.
 */

/** Seconds a client is asked to wait after a 503 caused by an outage. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** Socket-level failures (Node's errno codes): the server is down, restarting or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs of an unavailable server: class 08 (connection exception), 57P01
 * admin_shutdown (pg_terminate_backend, a fast shutdown), 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, shutting down, recovery), 53300 too_many_connections.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What pg, knex (tarn) and ioredis say when the connection is gone or cannot be had in time. */
const MESSAGES = [
  /^Connection terminated/i, // pg: "… unexpectedly", "… due to connection timeout"
  /not queryable/i, // pg: "Client has encountered a connection error and is not queryable"
  /^timeout exceeded when trying to connect/i, // pg-pool
  /^Knex: Timeout acquiring a connection/i, // knex: the pool stayed full
  // knex, on the statements after a transaction's connection died under it (BEGIN or a query
  // failed, knex ended the transaction): Porch only runs statements inside em.transactional(),
  // which never uses a transaction it has ended itself.
  /^Transaction query already complete/i,
  /^Connection is closed\.?$/i, // ioredis
  /enableOfflineQueue options is false/i, // ioredis, while disconnected
  /^Reached the max retries per request limit/i, // ioredis MaxRetriesPerRequestError
  /^Command timed out$/i, // ioredis commandTimeout
];

const NAMES = new Set(['KnexTimeoutError', 'ConnectionException', 'MaxRetriesPerRequestError']);

/** True when `error` (or what it wraps, through `cause`) says a backend is unavailable. */
export function isUnavailableError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (NETWORK_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))
        return true;
    }
    if (typeof name === 'string' && NAMES.has(name)) return true;
    if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
