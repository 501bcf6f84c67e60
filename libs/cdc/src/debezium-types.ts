// Debezium's PostgreSQL type mapping (its defaults: decimal.handling.mode=precise,
// time.precision.mode=adaptive, binary.handling.mode=bytes), from the text form PostgreSQL sends
// over pgoutput and returns to a snapshot query: a Kafka Connect field schema per column and a
// converter from the column's text to the JSON value Kafka's JsonConverter would write.
import {
  dateToEpochDays,
  formatZonedTime,
  formatZonedTimestamp,
  intervalToMicros,
  timestampToEpochMicros,
  timeToMicros,
} from './temporal.js';

/** A JSON value; 64-bit integers are raw JSON so that no digit is lost to a double. */
export type JsonValue = string | number | boolean | null | RawJson | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}
/** What `JSON.rawJSON` returns (ES2026; Node 24 has it, TypeScript's ES2023 lib does not). */
export interface RawJson {
  readonly rawJSON: string;
}
const rawJSON = (JSON as unknown as { rawJSON(text: string): RawJson }).rawJSON;

/** A 64-bit integer written exactly. */
export const int64 = (value: bigint | number): RawJson => rawJSON(String(value));

/** A Kafka Connect schema, in the field order Kafka's JsonConverter writes. */
export interface ConnectSchema {
  type: string;
  fields?: ConnectSchema[];
  optional: boolean;
  name?: string;
  version?: number;
  doc?: string;
  parameters?: Record<string, string>;
  default?: JsonValue;
  field?: string;
}

/** What the worker knows of a column: pgoutput's relation message plus the catalog. */
export interface ColumnInfo {
  name: string;
  /** The type's name; for a domain, its base type's. */
  typeName: string;
  /** pg_type.typtype of the (base) type: b base, e enum, r range, c composite… */
  typeType: string;
  /** pg_type.typcategory: A for arrays. */
  typeCategory: string;
  typmod: number;
  notNull: boolean;
  /** pg_get_expr of the column default, if any. */
  defaultExpr: string | null;
  enumLabels: string[] | null;
}

export interface ColumnCodec {
  schema: ConnectSchema;
  /** The column's PostgreSQL text → its event value. */
  convert(text: string): JsonValue;
  /** Debezium's `unavailable.value.placeholder`, for an unchanged TOASTed value PostgreSQL did not send. */
  unavailable: JsonValue;
}

const PLACEHOLDER = '__debezium_unavailable_value';

type Converter = (text: string) => JsonValue;
const asString: Converter = (text) => text;
const asInt: Converter = (text) => Number(text);
const asInt64: Converter = (text) => rawJSON(text);
const asFloat: Converter = (text) => {
  const n = Number(text);
  return Number.isFinite(n) ? n : text; // NaN, Infinity: no JSON number for them
};
const asBoolean: Converter = (text) => text === 't' || text === 'true';
const asBytes: Converter = (text) =>
  text.startsWith('\\x')
    ? Buffer.from(text.slice(2), 'hex').toString('base64')
    : Buffer.from(text).toString('base64');

/** Java's BigInteger.toByteArray(): minimal two's-complement, big-endian. */
function twosComplement(value: bigint): Buffer {
  let bytes = 1;
  while (value >= 1n << BigInt(8 * bytes - 1) || value < -(1n << BigInt(8 * bytes - 1))) bytes++;
  let v = value < 0n ? (1n << BigInt(8 * bytes)) + value : value;
  const out = Buffer.alloc(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** `-12.50` → the unscaled integer at `scale` digits (1250n with its sign) and that scale. */
function unscaled(text: string, scale?: number): { value: bigint; scale: number } | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return null; // NaN, ±Infinity
  const digits = m[3] ?? '';
  const s = scale ?? digits.length;
  const frac = digits.padEnd(s, '0').slice(0, s);
  const value = BigInt(`${m[2]}${frac}`);
  return { value: m[1] ? -value : value, scale: s };
}

function timestampPrecision(typmod: number): number {
  return typmod >= 0 && typmod <= 6 ? typmod : 6;
}

const named = (type: string, name: string, extra: Partial<ConnectSchema> = {}) => ({
  type,
  name,
  version: 1,
  ...extra,
});

/** The schema (without `optional`/`field`) and converter Debezium uses for one column type. */
function mapping(column: ColumnInfo): {
  schema: Omit<ConnectSchema, 'optional'>;
  convert: Converter;
} {
  if (column.typeType === 'e') {
    return {
      schema: named('string', 'io.debezium.data.Enum', {
        parameters: { allowed: (column.enumLabels ?? []).join(',') },
      }),
      convert: asString,
    };
  }
  switch (column.typeName) {
    case 'bool':
      return { schema: { type: 'boolean' }, convert: asBoolean };
    case 'int2':
      return { schema: { type: 'int16' }, convert: asInt };
    case 'int4':
      return { schema: { type: 'int32' }, convert: asInt };
    case 'int8':
    case 'oid':
      return { schema: { type: 'int64' }, convert: asInt64 };
    case 'float4':
      return { schema: { type: 'float' }, convert: asFloat };
    case 'float8':
      return { schema: { type: 'double' }, convert: asFloat };
    case 'numeric': {
      if (column.typmod < 0) {
        // Unconstrained numeric: Debezium's VariableScaleDecimal struct.
        return {
          schema: {
            type: 'struct',
            fields: [
              { type: 'int32', optional: false, field: 'scale' },
              { type: 'bytes', optional: false, field: 'value' },
            ],
            name: 'io.debezium.data.VariableScaleDecimal',
            version: 1,
            doc: 'Variable scaled decimal',
          },
          convert: (text) => {
            const u = unscaled(text);
            return u ? { scale: u.scale, value: twosComplement(u.value).toString('base64') } : null;
          },
        };
      }
      const precision = ((column.typmod - 4) >> 16) & 0xffff;
      const scale = (column.typmod - 4) & 0xffff;
      return {
        schema: named('bytes', 'org.apache.kafka.connect.data.Decimal', {
          parameters: { scale: String(scale), 'connect.decimal.precision': String(precision) },
        }),
        convert: (text) => {
          const u = unscaled(text, scale);
          return u ? twosComplement(u.value).toString('base64') : null;
        },
      };
    }
    case 'uuid':
      return { schema: named('string', 'io.debezium.data.Uuid'), convert: asString };
    case 'json':
    case 'jsonb':
      return { schema: named('string', 'io.debezium.data.Json'), convert: asString };
    case 'xml':
      return { schema: named('string', 'io.debezium.data.Xml'), convert: asString };
    case 'bytea':
      return { schema: { type: 'bytes' }, convert: asBytes };
    case 'date':
      return {
        schema: named('int32', 'io.debezium.time.Date'),
        convert: (text) => dateToEpochDays(text),
      };
    case 'time': {
      if (column.typmod >= 0 && column.typmod <= 3) {
        return {
          schema: named('int32', 'io.debezium.time.Time'),
          convert: (text) => {
            const micros = timeToMicros(text);
            return micros === null ? null : Number(micros / 1000n);
          },
        };
      }
      return {
        schema: named('int64', 'io.debezium.time.MicroTime'),
        convert: (text) => {
          const micros = timeToMicros(text);
          return micros === null ? null : int64(micros);
        },
      };
    }
    case 'timetz':
      return {
        schema: named('string', 'io.debezium.time.ZonedTime'),
        convert: (text) => formatZonedTime(text),
      };
    case 'timestamp': {
      const millis = column.typmod >= 0 && column.typmod <= 3;
      return {
        schema: named(
          'int64',
          millis ? 'io.debezium.time.Timestamp' : 'io.debezium.time.MicroTimestamp',
        ),
        convert: (text) => {
          const micros = timestampToEpochMicros(text);
          if (micros === null) return null; // ±infinity
          return int64(millis ? micros / 1000n : micros);
        },
      };
    }
    case 'timestamptz': {
      const width = timestampPrecision(column.typmod);
      return {
        schema: named('string', 'io.debezium.time.ZonedTimestamp'),
        convert: (text) => {
          const micros = timestampToEpochMicros(text);
          return micros === null ? text : formatZonedTimestamp(micros, width); // 'infinity' as is
        },
      };
    }
    case 'interval':
      return {
        schema: named('int64', 'io.debezium.time.MicroDuration'),
        convert: (text) => {
          const micros = intervalToMicros(text);
          return micros === null ? null : int64(micros);
        },
      };
    default:
      // text, varchar, bpchar, name, citext, inet, money, arrays, ranges…: PostgreSQL's text.
      return { schema: { type: 'string' }, convert: asString };
  }
}

/** A literal column default (`'x'::text`, `0`, `false`) as its text; null for expressions. */
export function literalDefault(expr: string | null): string | null {
  if (expr === null) return null;
  const quoted = /^'((?:[^']|'')*)'(?:::[\w\s."]+(?:\(\d+(?:,\d+)?\))?)?$/.exec(expr);
  if (quoted) return quoted[1].replace(/''/g, "'");
  if (/^\(?-?\d+(?:\.\d+)?\)?(?:::[\w\s]+)?$/.test(expr))
    return expr.replace(/[()]/g, '').replace(/::.*$/, '');
  if (expr === 'true' || expr === 'false') return expr;
  return null;
}

/** The field schema and converter of one column, as Debezium's PostgreSQL connector has them. */
export function columnCodec(column: ColumnInfo): ColumnCodec {
  const { schema: base, convert } = mapping(column);
  const literal = literalDefault(column.defaultExpr);
  const fallback = literal === null ? null : convert(literal);
  const schema: ConnectSchema = {
    type: base.type,
    ...(base.fields ? { fields: base.fields } : {}),
    optional: !column.notNull,
    ...(base.name ? { name: base.name } : {}),
    ...(base.version ? { version: base.version } : {}),
    ...(base.doc ? { doc: base.doc } : {}),
    ...(base.parameters ? { parameters: base.parameters } : {}),
    ...(fallback !== null ? { default: fallback } : {}),
    field: column.name,
  };
  const unavailable: JsonValue =
    base.type === 'bytes'
      ? Buffer.from(PLACEHOLDER).toString('base64')
      : base.type === 'string'
        ? PLACEHOLDER
        : null;
  return { schema, convert, unavailable };
}
