import { plainToInstance, Transform } from 'class-transformer';
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

  /** Express `trust proxy` value: false, true, a hop count, or comma-separated addresses/subnets. */
  @IsString()
  TRUST_PROXY = 'false';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Requests per minute per IP (anonymous) or per user (authenticated). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 1000;

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
  const problems = validateSync(config, { forbidUnknownValues: false }).flatMap((e) =>
    Object.values(e.constraints ?? {}).map(
      (m) => `${e.property}: ${m} (got ${JSON.stringify(raw[e.property] ?? null)})`,
    ),
  );
  if (config.isProduction) {
    if (!config.DATABASE_URL) problems.push('DATABASE_URL: required when NODE_ENV=production');
    if (!config.SESSION_SECRET) problems.push('SESSION_SECRET: required when NODE_ENV=production');
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
