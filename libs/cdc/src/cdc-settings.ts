import type { AppConfig } from '#porch/core';

/**
 * Tables never captured, whatever the include lists say: session data, and the stored answers
 * of Idempotency-Key requests (other users' data, and churn).
 */
export const SECRET_TABLES = ['public.admin_session', 'public.idempotency_keys'];

/** Columns never sent (Debezium's column.exclude.list, not configurable away): hashes and salts. */
export const SECRET_COLUMNS = [
  'public.users.password',
  'public.auth_tokens.token_hash',
  'public.password_reset_codes.code_hash',
  'public.password_reset_codes.salt',
];

/** The CDC worker's settings, resolved once from AppConfig (CDC_* variables). */
export interface CdcSettings {
  databaseUrl: string;
  /** Null when neither CDC_REDIS_URL nor REDIS_URL is set: the worker then refuses to start. */
  redisUrl: string | null;
  prefix: string;
  slot: string;
  publication: string;
  snapshotMode: 'initial' | 'no_data';
  replicaIdentityFull: Set<string>;
  maxLen: number;
  messageFormat: 'compact' | 'extended';
  tombstones: boolean;
  batchSize: number;
  heartbeatSeconds: number;
  lagWarnBytes: number;
  lagWarnSeconds: number;
  /** The Redis hash holding this slot's offset. */
  offsetKey: string;
  /** True when `schema.table` is captured. */
  capturesTable(schema: string, table: string): boolean;
  /** True when `schema.table.column` is sent. */
  sendsColumn(schema: string, table: string, column: string): boolean;
}

// Debezium matches each pattern against the whole identifier, ignoring case.
const matcher = (patterns: string[]) => {
  const regexes = patterns.map((p) => new RegExp(`^(?:${p})$`, 'i'));
  return (id: string) => regexes.some((r) => r.test(id));
};

export function cdcSettings(config: AppConfig, databaseUrl: string): CdcSettings {
  const tableIncluded = matcher(config.CDC_TABLE_INCLUDE_LIST);
  const tableExcluded = matcher([...config.CDC_TABLE_EXCLUDE_LIST, ...SECRET_TABLES.map(escape)]);
  const columnIncluded = matcher(config.CDC_COLUMN_INCLUDE_LIST);
  const columnExcluded = matcher([
    ...config.CDC_COLUMN_EXCLUDE_LIST,
    ...SECRET_COLUMNS.map(escape),
  ]);
  return {
    databaseUrl: config.CDC_DATABASE_URL ?? databaseUrl,
    redisUrl: config.CDC_REDIS_URL ?? config.REDIS_URL ?? null,
    prefix: config.CDC_TOPIC_PREFIX,
    slot: config.CDC_SLOT_NAME,
    publication: config.CDC_PUBLICATION_NAME,
    snapshotMode: config.CDC_SNAPSHOT_MODE,
    replicaIdentityFull: new Set(
      config.CDC_REPLICA_IDENTITY_FULL_TABLES.map((t) => (t.includes('.') ? t : `public.${t}`)),
    ),
    maxLen: config.CDC_STREAM_MAXLEN,
    messageFormat: config.CDC_MESSAGE_FORMAT,
    tombstones: config.CDC_TOMBSTONES_ON_DELETE,
    batchSize: config.CDC_BATCH_SIZE,
    heartbeatSeconds: config.CDC_HEARTBEAT_SECONDS,
    lagWarnBytes: config.CDC_LAG_WARN_BYTES,
    lagWarnSeconds: config.CDC_LAG_WARN_SECONDS,
    offsetKey: `metadata:cdc:${config.CDC_TOPIC_PREFIX}:${config.CDC_SLOT_NAME}`,
    capturesTable(schema, table) {
      const id = `${schema}.${table}`;
      if (config.CDC_TABLE_INCLUDE_LIST.length && !tableIncluded(id)) return false;
      return !tableExcluded(id);
    },
    sendsColumn(schema, table, column) {
      const id = `${schema}.${table}.${column}`;
      if (config.CDC_COLUMN_INCLUDE_LIST.length && !columnIncluded(id)) return false;
      return !columnExcluded(id);
    },
  };
}

function escape(id: string): string {
  return id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
