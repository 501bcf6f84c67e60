/**
 * Secrets out of log lines. Porch logs no headers or bodies, but errors carry what they carry:
 * PostgreSQL puts the failing row in a constraint error ("Failing row contains (…)"), MikroORM
 * the SQL with its values in its message, an HTTP client its request. So every logged error, and
 * every object logged beside one, goes through `redact` first.
 */

export const REDACTED = '[redacted]';

/**
 * A PHC string, `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<digest>`: version, the parameter list
 * (commas and all), then salt and digest in base64.
 */
const ARGON2_HASH =
  /\$argon2(?:id|i|d)(?:\$v=\d+)?\$[a-z]+=\d+(?:,[a-z]+=\d+)*(?:\$[A-Za-z0-9+/]+={0,2}){0,2}/g;
/** An Authorization header value: the scheme stays, the credentials go. */
const AUTH_SCHEME = /\b(Bearer|Basic|Digest|Token)\s+[A-Za-z0-9\-._~+/=]+/gi;
/** `password=…`, `"token":"…"`, `refresh_token: …` in a URL, a form, JSON or SQL text. */
const SECRET_NAMES =
  'password|passwd|new_?password|current_?password|secret|session_?secret|token|access_?token|refresh_?token|id_?token|api_?key|authorization|cookie|set-cookie|code_?hash|token_?hash|salt|join_?code';
const KEY_VALUE = new RegExp(
  `((?:^|[^A-Za-z0-9_])"?(?:${SECRET_NAMES})"?\\s*[:=]\\s*)((?:bearer|basic|digest|token)\\s+)?("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s&,;"')}\\]]+)`,
  'gi',
);
/** A reset code in JSON or a form: `code` with six digits (SQLSTATE codes have five). */
const RESET_CODE = /((?:^|[^A-Za-z0-9_])"?code"?\s*[:=]\s*"?)\d{6}(?!\d)/gi;
/**
 * Long hex runs: SHA-256 digests and salts (a reset code's salt and hash give the code away in a
 * second), keys. UUIDs have dashes and stay.
 */
const HEX_SECRET = /\b[0-9a-f]{32,}\b/gi;
/** Keys whose values are secret in any logged object, whatever they hold. */
const SECRET_KEY = new RegExp(`^(?:${SECRET_NAMES})$`, 'i');

/** `text` with every password hash, bearer credential and named secret replaced. */
export function redactText(text: string): string {
  return redactQuery(text.replace(ARGON2_HASH, REDACTED))
    .replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(HEX_SECRET, REDACTED)
    .replace(RESET_CODE, (_m, key: string) => `${key}${REDACTED}`);
}

/** Only the named secrets (`?access_token=…`, `"password":"…"`): cheap enough for every URL. */
export function redactQuery(text: string): string {
  return text.replace(
    KEY_VALUE,
    (_m, key: string, scheme: string | undefined) => `${key}${scheme ?? ''}${REDACTED}`,
  );
}

/**
 * A copy of `value` fit for a log line: strings scrubbed (`redactText`), values under secret
 * keys (`password`, `authorization`, `cookie`, `token`, …) replaced, `code` replaced when it
 * is a 6-digit reset code. Cycles and depth are bounded.
 */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth > 8) return '[too deep]';
  seen.add(value);
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  const source = value instanceof Error ? errorFields(value) : (value as Record<string, unknown>);
  for (const [key, v] of Object.entries(source)) {
    if (SECRET_KEY.test(key) && v !== undefined && v !== null) out[key] = REDACTED;
    else if (key === 'code' && typeof v === 'string' && /^\d{6}$/.test(v)) out[key] = REDACTED;
    else out[key] = redact(v, depth + 1, seen);
  }
  return out;
}

/** An error's own fields, with the ones `Object.entries` misses (not enumerable). */
function errorFields(error: Error): Record<string, unknown> {
  return {
    type: error.name,
    message: error.message,
    stack: error.stack,
    ...Object.fromEntries(Object.entries(error)),
    ...(error.cause !== undefined ? { cause: error.cause } : {}),
  };
}

/**
 * An error as it may be logged: a plain object (`type`, `message`, `stack`, its own fields,
 * its cause) with secrets replaced. Anything else is redacted as it is.
 */
export function redactSecrets(error: unknown): unknown {
  return redact(error);
}
