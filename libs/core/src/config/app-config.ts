import { plainToInstance, Transform } from 'class-transformer';
import { isIP } from 'node:net';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

/**
 * Variables whose values are never printed, not even in the error that refuses them: secrets,
 * and URLs (they may carry a password).
 */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'SESSION_SECRET',
  'ADMIN_PASSWORD',
  'DATABASE_URL',
  'DATABASE_REPLICA_URLS',
  'REDIS_URL',
  'SMTP_URL',
]);

/**
 * Every setting Porch reads, validated once at start. Names are the environment variables;
 * `config/.env.example` documents each one.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Public base URL used in links (emails, pagination fallbacks). Defaults to the request's host. */
  @IsOptional()
  @IsString()
  PUBLIC_URL?: string;

  /** PostgreSQL connection string. Unset: an embedded PostgreSQL is started under DATA_DIR. */
  @IsOptional()
  @IsString()
  DATABASE_URL?: string;

  /** Comma-separated read replicas for read-mostly endpoints. */
  @Transform(toList)
  @IsString({ each: true })
  DATABASE_REPLICA_URLS: string[] = [];

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_MAX = 10;

  /** Where the embedded database, sent emails and other local state live. */
  @IsString()
  DATA_DIR = '.data';

  @Transform(toBool)
  @IsBoolean()
  MIGRATE_ON_START = true;

  /** Create demo data and a superuser on an empty database at start. */
  @Transform(toBool)
  @IsBoolean()
  DEMO_DATA = true;

  /** Signs admin-panel session cookies. Required in production. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  SESSION_SECRET?: string;

  /** Redis for shared rate-limit counters across instances. Unset: counters in memory. */
  @IsOptional()
  @IsString()
  REDIS_URL?: string;

  /** Allowed CORS origins, comma-separated; `*` allows any. Empty: CORS off. */
  @Transform(toList)
  @IsString({ each: true })
  CORS_ORIGINS: string[] = [];

  /**
   * Express `trust proxy`: how many proxies in front of Porch append to X-Forwarded-For (a hop
   * count, e.g. `1` behind one load balancer), or the proxies' addresses/subnets. `true` trusts
   * every hop, so a client's own X-Forwarded-For picks its IP (and resets its rate limits).
   */
  @IsString()
  TRUST_PROXY = 'false';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Requests per minute per IP (anonymous) or per user (authenticated). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 1000;

  /**
   * Requests a minute per client IP that present a bearer token, counted before the token is
   * checked: the ceiling for everyone behind one address, and what stops a flood of bad tokens
   * before any database query.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_IP_PER_MINUTE = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_FAILURE_WINDOW_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  ACCESS_TOKEN_TTL_SECONDS = 3600;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

  @IsIn(['file', 'smtp'])
  MAIL_TRANSPORT: 'file' | 'smtp' = 'file';

  @IsOptional()
  @IsString()
  SMTP_URL?: string;

  @IsEmail({ require_tld: false })
  MAIL_FROM = 'porch@localhost';

  /** Number of API processes (Node cluster). 1 = no cluster. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  WEB_CONCURRENCY = 1;

  /**
   * After SIGTERM: how long the server keeps answering (readiness already 503, every response
   * with `Connection: close`) so that load balancers stop sending before it stops listening.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_DRAIN_MS = 5_000;

  /** After SIGTERM the process exits within this long, whatever its clients do. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 25_000;

  /**
   * Prometheus metrics (`GET /metrics`) on a listener of their own on this port, never on PORT's.
   * Unset: no separate listener (see METRICS_TOKEN).
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  /**
   * Bearer token for `GET /metrics`. Set alone, metrics are served on PORT to holders of it; with
   * METRICS_PORT, that listener asks for it too. Neither set: no metrics are collected.
   */
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /** Email of the superuser created on the first start (empty database, DEMO_DATA on). */
  @IsEmail({ require_tld: false })
  ADMIN_EMAIL = 'admin@porch.local';

  /** For `manage createsuperuser --email` and the start-up superuser; never committed. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  ADMIN_PASSWORD?: string;

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Builds the typed config from an environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const raw: Record<string, string> = {};
  for (const key of [
    ...known,
    'PUBLIC_URL',
    'DATABASE_URL',
    'SESSION_SECRET',
    'REDIS_URL',
    'SMTP_URL',
    'ADMIN_PASSWORD',
    'METRICS_PORT',
    'METRICS_TOKEN',
  ]) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw);
  const problems = validateSync(config, {
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  }).flatMap((e) =>
    Object.values(e.constraints ?? {}).map(
      (m) =>
        `${e.property}: ${m} (${
          SECRET_VARIABLES.has(e.property)
            ? 'value not shown'
            : `got ${JSON.stringify(raw[e.property] ?? null)}`
        })`,
    ),
  );
  problems.push(...trustProxyProblems(config.TRUST_PROXY));
  if (config.isProduction) {
    if (!config.DATABASE_URL) problems.push('DATABASE_URL: required when NODE_ENV=production');
    if (!config.SESSION_SECRET) problems.push('SESSION_SECRET: required when NODE_ENV=production');
  }
  if (
    Number.isInteger(config.SHUTDOWN_DRAIN_MS) &&
    Number.isInteger(config.SHUTDOWN_TIMEOUT_MS) &&
    config.SHUTDOWN_DRAIN_MS >= config.SHUTDOWN_TIMEOUT_MS
  ) {
    problems.push('SHUTDOWN_DRAIN_MS: must be shorter than SHUTDOWN_TIMEOUT_MS');
  }
  if (config.MAIL_TRANSPORT === 'smtp' && !config.SMTP_URL) {
    problems.push('SMTP_URL: required when MAIL_TRANSPORT=smtp');
  }
  for (const [key, value] of [
    ['DATABASE_URL', config.DATABASE_URL],
    ['REDIS_URL', config.REDIS_URL],
  ] as const) {
    if (value && !URL.canParse(value)) problems.push(`${key}: must be a URL`);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/**
 * Entries of a TRUST_PROXY list that Express (proxy-addr) would refuse at start: it takes
 * `loopback`, `linklocal`, `uniquelocal`, addresses, and subnets as CIDR or address/netmask.
 */
function trustProxyProblems(value: string): string[] {
  if (!value || /^(?:true|false|\d+)$/.test(value)) return [];
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => {
      if (['loopback', 'linklocal', 'uniquelocal'].includes(v)) return false;
      const [address, bits, ...more] = v.split('/');
      const version = isIP(address);
      if (!version || more.length) return true;
      if (bits === undefined) return false;
      if (isIP(bits)) return false; // a netmask
      return !/^\d{1,3}$/.test(bits) || Number(bits) > (version === 4 ? 32 : 128);
    })
    .map((v) => `TRUST_PROXY: ${JSON.stringify(v)} is not an IP address, subnet or proxy name`);
}

/**
 * What to warn about at start: `TRUST_PROXY=true` believes every X-Forwarded-For entry, so any
 * client can claim any IP, and every per-IP limit (login failures, password resets, the rate
 * limit) resets with a header.
 */
export function trustProxyWarning(config: AppConfig): string | undefined {
  if (config.TRUST_PROXY !== 'true') return undefined;
  return (
    'TRUST_PROXY=true trusts every X-Forwarded-For hop: a client can spoof its IP and so ' +
    'reset every per-IP limit. Set the number of proxies in front of Porch instead (e.g. ' +
    'TRUST_PROXY=1 behind one load balancer), or their addresses.'
  );
}
