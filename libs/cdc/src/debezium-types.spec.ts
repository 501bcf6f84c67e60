import { columnCodec, literalDefault, type ColumnInfo } from './debezium-types.js';
import { formatZonedTimestamp, timestampToEpochMicros } from './temporal.js';

const column = (typeName: string, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name: 'c',
  typeName,
  typeType: 'b',
  typeCategory: 'S',
  typmod: -1,
  notNull: true,
  defaultExpr: null,
  enumLabels: null,
  ...extra,
});
const convert = (typeName: string, text: string, extra: Partial<ColumnInfo> = {}) =>
  JSON.stringify(columnCodec(column(typeName, extra)).convert(text));
const schema = (typeName: string, extra: Partial<ColumnInfo> = {}) =>
  columnCodec(column(typeName, extra)).schema;
const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe("Debezium's PostgreSQL type mapping", () => {
  it('timestamptz: io.debezium.time.ZonedTimestamp, UTC, the column precision in digits', () => {
    expect(schema('timestamptz')).toEqual({
      type: 'string',
      optional: false,
      name: 'io.debezium.time.ZonedTimestamp',
      version: 1,
      field: 'c',
    });
    expect(convert('timestamptz', '2025-02-11 13:21:54.181982+00')).toBe(
      '"2025-02-11T13:21:54.181982Z"',
    );
    // PostgreSQL drops trailing zeros; Debezium pads to the precision (6 unless declared).
    expect(convert('timestamptz', '2025-02-11 13:21:54.18+00')).toBe(
      '"2025-02-11T13:21:54.180000Z"',
    );
    expect(convert('timestamptz', '2025-02-11 13:21:54+00')).toBe('"2025-02-11T13:21:54.000000Z"');
    expect(convert('timestamptz', '2025-02-11 13:21:54.18+00', { typmod: 3 })).toBe(
      '"2025-02-11T13:21:54.180Z"',
    );
    expect(convert('timestamptz', '2025-02-11 13:21:54.5+00', { typmod: 0 })).toBe(
      '"2025-02-11T13:21:54Z"',
    );
    // An offset other than UTC is normalized, across midnight.
    expect(convert('timestamptz', '2025-03-01 01:30:00.000001+05:30')).toBe(
      '"2025-02-28T20:00:00.000001Z"',
    );
    expect(convert('timestamptz', '1969-12-31 23:59:59.999999+00')).toBe(
      '"1969-12-31T23:59:59.999999Z"',
    );
    expect(convert('timestamptz', 'infinity')).toBe('"infinity"');
  });

  it('agrees with the JavaScript clock on a range of instants', () => {
    for (const ms of [0, 1, -1, 951782400000, 1739280114181, 4102444800000, -2208988800000]) {
      const iso = new Date(ms).toISOString(); // 2025-02-11T13:21:54.181Z
      const text = `${iso.slice(0, 10)} ${iso.slice(11, 23)}+00`;
      expect(timestampToEpochMicros(text)).toBe(BigInt(ms) * 1000n);
      expect(formatZonedTimestamp(BigInt(ms) * 1000n, 3)).toBe(iso);
    }
  });

  it('date: days since the epoch; timestamp: epoch microseconds (milliseconds at precision ≤ 3)', () => {
    expect(schema('date')).toMatchObject({
      type: 'int32',
      name: 'io.debezium.time.Date',
      version: 1,
    });
    expect(convert('date', '2025-02-11')).toBe(String(days('2025-02-11')));
    expect(convert('date', '1969-07-20')).toBe(String(days('1969-07-20')));
    expect(convert('date', '0001-01-01')).toBe(String(days('0001-01-01')));
    expect(convert('date', 'infinity')).toBe('null');
    expect(schema('timestamp')).toMatchObject({
      type: 'int64',
      name: 'io.debezium.time.MicroTimestamp',
    });
    expect(convert('timestamp', '2025-02-11 13:21:54.181982')).toBe(
      String(Date.parse('2025-02-11T13:21:54.181Z') * 1000 + 982),
    );
    expect(schema('timestamp', { typmod: 3 })).toMatchObject({
      name: 'io.debezium.time.Timestamp',
    });
    expect(convert('timestamp', '2025-02-11 13:21:54.181982', { typmod: 3 })).toBe(
      String(Date.parse('2025-02-11T13:21:54.181Z')),
    );
    expect(convert('time', '13:21:54.5')).toBe(String((13 * 3600 + 21 * 60 + 54) * 1e6 + 500000));
    expect(convert('timetz', '13:21:54.5+02')).toBe('"11:21:54.5Z"');
    expect(convert('interval', 'P1DT2H0.5S')).toBe(String(26 * 3600e6 + 500000));
  });

  it('uuid, json and jsonb, enums and text are strings with the semantic names', () => {
    expect(schema('uuid')).toMatchObject({
      type: 'string',
      name: 'io.debezium.data.Uuid',
      version: 1,
    });
    expect(convert('uuid', 'a628467c-5eba-4dca-a5d4-dac9c09b6336')).toBe(
      '"a628467c-5eba-4dca-a5d4-dac9c09b6336"',
    );
    expect(schema('jsonb')).toMatchObject({
      type: 'string',
      name: 'io.debezium.data.Json',
      version: 1,
    });
    expect(convert('jsonb', '{"a": [1, 2]}')).toBe(JSON.stringify('{"a": [1, 2]}'));
    expect(schema('mood', { typeType: 'e', enumLabels: ['sad', 'ok', 'happy'] })).toEqual({
      type: 'string',
      optional: false,
      name: 'io.debezium.data.Enum',
      version: 1,
      parameters: { allowed: 'sad,ok,happy' },
      field: 'c',
    });
    expect(schema('varchar', { notNull: false })).toEqual({
      type: 'string',
      optional: true,
      field: 'c',
    });
    expect(convert('bpchar', 'ab  ')).toBe('"ab  "');
  });

  it('numbers: int16/32/64 (exact), floats, decimals as Kafka Connect Decimal bytes', () => {
    expect(schema('int2').type).toBe('int16');
    expect(convert('int4', '-42')).toBe('-42');
    expect(convert('int8', '9007199254740993')).toBe('9007199254740993'); // beyond a double
    expect(convert('float8', '0.1')).toBe('0.1');
    expect(schema('float4').type).toBe('float');
    expect(convert('float8', 'NaN')).toBe('"NaN"');
    const typmod = ((10 << 16) | 2) + 4; // numeric(10,2)
    expect(schema('numeric', { typmod })).toMatchObject({
      type: 'bytes',
      name: 'org.apache.kafka.connect.data.Decimal',
      parameters: { scale: '2', 'connect.decimal.precision': '10' },
    });
    // Unscaled two's complement, big-endian, minimal (Java's BigInteger.toByteArray).
    expect(convert('numeric', '12.50', { typmod })).toBe(
      JSON.stringify(Buffer.from([0x04, 0xe2]).toString('base64')),
    );
    expect(convert('numeric', '-0.01', { typmod })).toBe(
      JSON.stringify(Buffer.from([0xff]).toString('base64')),
    );
    expect(convert('numeric', '1.28', { typmod })).toBe(
      JSON.stringify(Buffer.from([0x00, 0x80]).toString('base64')),
    );
    expect(schema('numeric')).toMatchObject({
      type: 'struct',
      name: 'io.debezium.data.VariableScaleDecimal',
    });
    expect(convert('numeric', '-3.125')).toBe(
      JSON.stringify({ scale: 3, value: Buffer.from([0xf3, 0xcb]).toString('base64') }),
    );
  });

  it('booleans and bytea (base64, as Kafka JSON writes bytes)', () => {
    expect(convert('bool', 't')).toBe('true');
    expect(convert('bool', 'f')).toBe('false');
    expect(schema('bytea').type).toBe('bytes');
    expect(convert('bytea', '\\x00ff10')).toBe(
      JSON.stringify(Buffer.from([0, 255, 16]).toString('base64')),
    );
  });

  it('carries literal column defaults into the schema, as Debezium does, and skips expressions', () => {
    expect(literalDefault("'unspecified'::text")).toBe('unspecified');
    expect(literalDefault("'it''s'::character varying")).toBe("it's");
    expect(literalDefault('0')).toBe('0');
    expect(literalDefault("'-1'::integer")).toBe('-1');
    expect(literalDefault('(-5)')).toBe('-5');
    expect(literalDefault('false')).toBe('false');
    expect(literalDefault('now()')).toBeNull();
    expect(literalDefault('gen_random_uuid()')).toBeNull();
    expect(schema('text', { defaultExpr: "'chill'::text" })).toEqual({
      type: 'string',
      optional: false,
      default: 'chill',
      field: 'c',
    });
    expect(schema('bool', { defaultExpr: 'false' }).default).toBe(false);
    expect(schema('int2', { defaultExpr: '0' }).default).toBe(0);
    expect(JSON.stringify(schema('jsonb', { defaultExpr: "'{}'::jsonb" }).default)).toBe('"{}"');
  });

  it("puts Debezium's placeholder for an unchanged TOASTed value PostgreSQL did not resend", () => {
    expect(columnCodec(column('text')).unavailable).toBe('__debezium_unavailable_value');
    expect(columnCodec(column('bytea')).unavailable).toBe(
      Buffer.from('__debezium_unavailable_value').toString('base64'),
    );
  });
});
