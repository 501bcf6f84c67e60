import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { isIP } from 'node:net';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;
/** As `toBool`, but anything other than a known spelling is left as is, so IsBoolean refuses it. */
const toStrictBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const word = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(word)) return true;
  if (['0', 'false', 'no', 'off'].includes(word)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

/** Decorators stacked in the order given, as if written one above the other. */
const stack = (...decorators: PropertyDecorator[]): PropertyDecorator =>
  applyDecorators(...decorators.toReversed());
/** A whole number from `min` (to `max`). */
const Int = (min: number, max?: number) =>
  stack(Transform(toInt), IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)]));
/** On/off; an unknown spelling is off. */
const Flag = () => stack(Transform(toBool), IsBoolean());
/** On/off, or unset; an unknown spelling is refused (a typo must not turn a security setting off). */
const OptionalStrictFlag = () => stack(IsOptional(), Transform(toStrictBool), IsBoolean());
/** A comma-separated list. */
const List = () => stack(Transform(toList), IsString({ each: true }));
const OptionalString = (...more: PropertyDecorator[]) => stack(IsOptional(), IsString(), ...more);

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

  @Int(0, 65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Public base URL used in links (emails, pagination fallbacks). Defaults to the request's host. */
  @OptionalString()
  PUBLIC_URL?: string;

  /** PostgreSQL connection string. Unset: an embedded PostgreSQL is started under DATA_DIR. */
  @OptionalString()
  DATABASE_URL?: string;

  /** Comma-separated read replicas for read-mostly endpoints. */
  @List()
  DATABASE_REPLICA_URLS: string[] = [];

  @Int(1, 500)
  DATABASE_POOL_MAX = 10;

  /** Where the embedded database, sent emails and other local state live. */
  @IsString()
  DATA_DIR = '.data';

  @Flag()
  MIGRATE_ON_START = true;

  /** Load the demo data on an empty database at start. */
  @Flag()
  DEMO_DATA = true;

  /** Create the superuser ADMIN_EMAIL on an empty database at start. */
  @Flag()
  CREATE_SUPERUSER = true;

  /** Signs admin-panel session cookies. Required in production. */
  @OptionalString(MinLength(32))
  SESSION_SECRET?: string;

  /** Redis for shared rate-limit counters across instances. Unset: counters in memory. */
  @OptionalString()
  REDIS_URL?: string;

  /** Allowed CORS origins, comma-separated; `*` allows any. Empty: CORS off. */
  @List()
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

  /** `auto`: coloured lines (pino-pretty) on a terminal outside production, JSON otherwise. */
  @IsIn(['auto', 'pretty', 'json'])
  LOG_FORMAT: 'auto' | 'pretty' | 'json' = 'auto';

  /** Requests per minute per IP (anonymous) or per user (authenticated). */
  @Int(1)
  RATE_LIMIT_PER_MINUTE = 1000;

  /**
   * Requests a minute per client IP that present a bearer token, counted before the token is
   * checked: the ceiling for everyone behind one address, and what stops a flood of bad tokens
   * before any database query.
   */
  @Int(1)
  RATE_LIMIT_PER_IP_PER_MINUTE = 5000;

  @Int(1)
  LOGIN_MAX_FAILURES = 5;

  @Int(1)
  LOGIN_FAILURE_WINDOW_SECONDS = 900;

  /**
   * Refuse logins (`/auth/login`, both `/auth/token` grants) and sign-up tokens to accounts whose
   * email is not verified yet. Unset: true in production, false elsewhere.
   */
  @OptionalStrictFlag()
  REQUIRE_VERIFIED_EMAIL?: boolean;

  @Int(60)
  ACCESS_TOKEN_TTL_SECONDS = 3600;

  @Int(60)
  REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

  @IsIn(['file', 'smtp'])
  MAIL_TRANSPORT: 'file' | 'smtp' = 'file';

  @OptionalString()
  SMTP_URL?: string;

  @IsEmail({ require_tld: false })
  MAIL_FROM = 'porch@localhost';

  /** Number of API processes (Node cluster). 1 = no cluster. */
  @Int(1, 64)
  WEB_CONCURRENCY = 1;

  /**
   * After SIGTERM: how long the server keeps answering (readiness already 503, every response
   * with `Connection: close`) so that load balancers stop sending before it stops listening.
   */
  @Int(0, 600_000)
  SHUTDOWN_DRAIN_MS = 5_000;

  /** After SIGTERM the process exits within this long, whatever its clients do. */
  @Int(1_000, 600_000)
  SHUTDOWN_TIMEOUT_MS = 25_000;

  /**
   * Prometheus metrics (`GET /metrics`) on a listener of their own on this port, never on PORT's.
   * Unset: no separate listener (see METRICS_TOKEN).
   */
  @IsOptional()
  @Int(1, 65535)
  METRICS_PORT?: number;

  /**
   * Bearer token for `GET /metrics`. Set alone, metrics are served on PORT to holders of it; with
   * METRICS_PORT, that listener asks for it too. Neither set: no metrics are collected.
   */
  @OptionalString(MinLength(16))
  METRICS_TOKEN?: string;

  /** Email of the superuser created on the first start (empty database, DEMO_DATA on). */
  @IsEmail({ require_tld: false })
  ADMIN_EMAIL = 'admin@porch.local';

  /** For `manage createsuperuser --email` and the start-up superuser; never committed. */
  @OptionalString(MaxLength(256))
  ADMIN_PASSWORD?: string;

  // --- GraphQL (/graphql, libs/graphql) ---------------------------------------------------------

  /** Deepest selection nesting an operation may have (fragments expanded). */
  @Int(1, 100)
  GRAPHQL_MAX_DEPTH = 10;

  /**
   * Highest cost an operation may have: one per field, each connection's selection multiplied by
   * its `first` (the default page size, 20, when absent).
   */
  @Int(1)
  GRAPHQL_MAX_COST = 5_000;

  /** Cost a user (or, anonymous, an IP) may spend a minute; beyond it TOO_MANY_REQUESTS. */
  @Int(1)
  GRAPHQL_COST_PER_MINUTE = 100_000;

  /** Introspection queries (`__schema`). Unset: on outside production, off in production. */
  @OptionalStrictFlag()
  GRAPHQL_INTROSPECTION?: boolean;

  /** The GraphiQL page at `GET /graphql`. Unset: on outside production, off in production. */
  @OptionalStrictFlag()
  GRAPHQL_EXPLORER?: boolean;

  // --- Change-data-capture worker (`manage cdc`, libs/cdc) ---------------------------------------

  /** PostgreSQL for the CDC worker (a role with REPLICATION). Unset: DATABASE_URL / embedded. */
  @OptionalString()
  CDC_DATABASE_URL?: string;

  /** Redis the change streams are written to. Unset: REDIS_URL. */
  @OptionalString()
  CDC_REDIS_URL?: string;

  /** Debezium's `topic.prefix`: streams are `<prefix>.public.<table>`, and `source.name`. */
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'letters, digits, _ and - only' })
  CDC_TOPIC_PREFIX = 'porch';

  @Matches(/^[a-z0-9_]{1,63}$/, { message: 'lower-case letters, digits and _ only' })
  CDC_SLOT_NAME = 'porch_cdc';

  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'a lower-case SQL identifier' })
  CDC_PUBLICATION_NAME = 'porch_cdc';

  /** `initial`: read existing rows once (op "r"), then stream; `no_data`: stream only. */
  @IsIn(['initial', 'no_data'])
  CDC_SNAPSHOT_MODE: 'initial' | 'no_data' = 'initial';

  /** Debezium's table/column include and exclude lists: comma-separated regular expressions
   * matched against `schema.table` and `schema.table.column`. */
  @List()
  CDC_TABLE_INCLUDE_LIST: string[] = [];

  @List()
  CDC_TABLE_EXCLUDE_LIST: string[] = ['public.mikro_orm_migrations'];

  @List()
  CDC_COLUMN_INCLUDE_LIST: string[] = [];

  /** Besides the secrets, which are never sent: users.photo (bulk binary; photo_hash says when it changes). */
  @List()
  CDC_COLUMN_EXCLUDE_LIST: string[] = ['public.users.photo'];

  /** Tables the worker sets to REPLICA IDENTITY FULL, so updates and deletes carry `before`. */
  @List()
  CDC_REPLICA_IDENTITY_FULL_TABLES: string[] = [
    'users',
    'parties',
    'invites',
    'groups',
    'group_members',
    'devices',
  ];

  /** XADD … MAXLEN ~ this per stream; 0: streams are never trimmed. */
  @Int(0)
  CDC_STREAM_MAXLEN = 100_000;

  /** Debezium Server's Redis `message.format`: compact (one field: key → value) or extended. */
  @IsIn(['compact', 'extended'])
  CDC_MESSAGE_FORMAT: 'compact' | 'extended' = 'compact';

  /** A tombstone (the key with a null value) after each delete, as Debezium does by default. */
  @Flag()
  CDC_TOMBSTONES_ON_DELETE = true;

  /** Most events per MULTI/EXEC (a larger transaction is written in several). */
  @Int(1, 10_000)
  CDC_BATCH_SIZE = 500;

  /** Seconds of silence after which the worker emits a heartbeat so the slot can advance; 0: off. */
  @Int(0)
  CDC_HEARTBEAT_SECONDS = 10;

  /** Warn when the slot holds more unconsumed WAL than this (bytes)… */
  @Int(1)
  CDC_LAG_WARN_BYTES = 256 * 1024 * 1024;

  /** …or when events reach Redis this many seconds after their commit. */
  @Int(1)
  CDC_LAG_WARN_SECONDS = 60;

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
    'REQUIRE_VERIFIED_EMAIL',
    'CDC_DATABASE_URL',
    'CDC_REDIS_URL',
    'GRAPHQL_INTROSPECTION',
    'GRAPHQL_EXPLORER',
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
    ['CDC_DATABASE_URL', config.CDC_DATABASE_URL],
    ['CDC_REDIS_URL', config.CDC_REDIS_URL],
  ] as const) {
    if (value && !URL.canParse(value)) problems.push(`${key}: must be a URL`);
  }
  for (const key of [
    'CDC_TABLE_INCLUDE_LIST',
    'CDC_TABLE_EXCLUDE_LIST',
    'CDC_COLUMN_INCLUDE_LIST',
    'CDC_COLUMN_EXCLUDE_LIST',
  ] as const) {
    for (const pattern of config[key] ?? []) {
      try {
        new RegExp(pattern);
      } catch {
        problems.push(`${key}: ${JSON.stringify(pattern)} is not a regular expression`);
      }
    }
  }
  if (problems.length) throw new ConfigError(problems);
  config.REQUIRE_VERIFIED_EMAIL ??= config.isProduction;
  config.GRAPHQL_INTROSPECTION ??= !config.isProduction;
  config.GRAPHQL_EXPLORER ??= !config.isProduction;
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
