/**
 * A small schemathesis-style generator over the committed OpenAPI document: for each operation a
 * valid-looking baseline request (from the schemas, with real ids where the schema names one),
 * and from it requests that each break one thing — a parameter or a body property replaced by
 * a malformed value, a required property dropped, an unknown one added, the whole body or its
 * content type wrong. Deterministic: the same document gives the same requests.
 */

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  bodyTypes: string[];
  bodySchema?: Schema;
  secured: boolean;
}

export interface FuzzRequest {
  /** What was broken, for the report (`query.offset = 2^63`). */
  label: string;
  method: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  /** A JSON value, or raw text with its content type in `headers`. */
  body?: unknown;
  raw?: string;
  /** Send as multipart/form-data fields. */
  multipart?: Record<string, string>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
}

interface RawOperation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  security?: unknown[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document, with `$ref`s resolved. */
export function operations(doc: OpenApiDocument): Operation[] {
  const result: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const content = op.requestBody?.content ?? {};
      const bodyTypes = Object.keys(content);
      const schemaOf = content['application/json'] ?? Object.values(content)[0];
      result.push({
        method,
        path,
        parameters: (op.parameters ?? []).map((p) => ({
          ...p,
          schema: p.schema && resolve(doc, p.schema),
        })),
        bodyTypes,
        bodySchema: schemaOf?.schema && resolve(doc, schemaOf.schema),
        secured: Boolean(op.security?.length),
      });
    }
  }
  return result;
}

/** `$ref`s and `allOf`s resolved (depth-bounded: the document has no cycles, but be safe). */
export function resolve(doc: OpenApiDocument, schema: Schema, depth = 0): Schema {
  if (depth > 8) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(doc, doc.components.schemas[name] ?? {}, depth + 1);
  }
  const out: Schema = { ...schema };
  if (schema.allOf) {
    const parts = schema.allOf.map((s) => resolve(doc, s, depth + 1));
    out.type = parts.find((p) => p.type)?.type ?? 'object';
    out.properties = Object.assign({}, ...parts.map((p) => p.properties ?? {}));
    out.required = parts.flatMap((p) => p.required ?? []);
    delete out.allOf;
  }
  if (schema.oneOf || schema.anyOf) return resolve(doc, (schema.oneOf ?? schema.anyOf)![0], depth);
  if (out.properties)
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([k, v]) => [k, resolve(doc, v, depth + 1)]),
    );
  if (out.items) out.items = resolve(doc, out.items, depth + 1);
  return out;
}

/** Real values a baseline uses where a name asks for one (ids of rows that exist). */
export type Fixtures = (name: string, path: string) => string | undefined;

const FUTURE = () => new Date(Date.now() + 86_400_000).toISOString();

/** A value the schema accepts, as far as a schema can say. */
export function valid(schema: Schema, name: string, path: string, fixtures: Fixtures): unknown {
  if (schema.default !== undefined && schema.type !== 'array') return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'integer':
    case 'number':
      return schema.maximum === undefined
        ? Math.max(schema.minimum ?? 1, 1)
        : Math.min(Math.max(schema.minimum ?? 1, 1), schema.maximum);
    case 'boolean':
      return true;
    case 'array':
      return schema.items ? [valid(schema.items, name, path, fixtures)] : [];
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, v]) => [k, valid(v, k, path, fixtures)]),
      );
    default: {
      const known = fixtures(name, path);
      if (known !== undefined) return known;
      if (schema.format === 'uuid') return '01a23387-b6bd-73cb-9974-f6bcd81113d4';
      if (schema.format === 'date-time') return FUTURE();
      if (schema.format === 'date') return '1990-01-01';
      if (schema.format === 'email') return `fuzz-${name}@example.test`;
      return 'x'.repeat(Math.max(schema.minLength ?? 0, Math.min(8, schema.maxLength ?? 8)));
    }
  }
}

const TWO_MB = 'a'.repeat(2 * 1024 * 1024);
const deep = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

/** Values that break a JSON body property (each replaces the property on its own). */
export const BODY_VALUES: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['0', 0],
  ['-1', -1],
  ['1.5', 1.5],
  ['2^31', 2 ** 31],
  ['2^53', 2 ** 53],
  ['2^63', 9223372036854775808],
  ['1e308', 1e308],
  ['-1e308', -1e308],
  ['empty string', ''],
  ['NUL', 'a\u0000b'],
  ['2 MB string', TWO_MB],
  ['long unicode', '🙂'.repeat(600)],
  ['bad uuid', 'not-a-uuid'],
  ['uuid-ish', '00000000-0000-0000-0000-00000000000g'],
  ['far future date', '+275760-09-13T00:00:00.000Z'],
  ['year 0', '0000-01-01T00:00:00.000Z'],
  ['bad date', '2026-02-30T25:61:00Z'],
  ['numeric string', '9223372036854775808'],
  ['empty array', []],
  ['array of NUL', ['\u0000']],
  ['empty object', {}],
  ['object with NUL key', { 'k\u0000': 1 }],
  ['nested 40 deep', deep(40)],
  ['nested 20 deep', deep(20)],
  ['SQL', "' OR 1=1 --"],
];

/** Values that break a query or path parameter (sent as text). */
export const TEXT_VALUES: [string, string][] = [
  ['empty', ''],
  ['NUL', 'a\u0000b'],
  ['-1', '-1'],
  ['0', '0'],
  ['1.5', '1.5'],
  ['2^31', '2147483648'],
  ['2^63', '9223372036854775808'],
  ['1e309', '1e309'],
  ['NaN', 'NaN'],
  ['bad uuid', 'not-a-uuid'],
  ['uuid-ish', '00000000-0000-0000-0000-00000000000g'],
  ['10 kB string', 'a'.repeat(10_000)],
  ['unicode', 'é☃🙂'],
  ['percent', '%'],
  ['dots', '../../etc/passwd'],
  ['far future date', '+275760-09-13T00:00:00.000Z'],
  ['year 0', '0000-01-01T00:00:00Z'],
  ['SQL', "' OR 1=1 --"],
  ['comma list', 'a,b,,c'],
];

/** The requests for one operation: its baseline, then one broken thing each. */
export function requestsFor(op: Operation, fixtures: Fixtures): FuzzRequest[] {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const baselinePath: Record<string, string> = Object.fromEntries(
    pathParams.map((p) => [p.name, String(valid(p.schema ?? {}, p.name, op.path, fixtures))]),
  );
  const build = (path: Record<string, string>) =>
    op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(path[name] ?? 'x'));
  const baseBody =
    op.bodySchema && (valid(op.bodySchema, 'body', op.path, fixtures) as Record<string, unknown>);
  const out: FuzzRequest[] = [];
  const add = (label: string, parts: Partial<FuzzRequest>) =>
    out.push({
      label,
      method: op.method,
      path: build(baselinePath),
      query: [],
      headers: {},
      body: baseBody,
      ...parts,
    });

  add('baseline', {});
  for (const p of pathParams) {
    for (const [label, value] of TEXT_VALUES) {
      if (value === '') continue; // an empty segment is another route
      add(`path.${p.name} = ${label}`, { path: build({ ...baselinePath, [p.name]: value }) });
    }
  }
  for (const p of queryParams) {
    for (const [label, value] of TEXT_VALUES)
      add(`query.${p.name} = ${label}`, { query: [[p.name, value]] });
    add(`query.${p.name} twice`, {
      query: [
        [p.name, '1'],
        [p.name, '2'],
      ],
    });
  }
  add('unknown query parameter', { query: [['fuzz', '1']] });
  add('header If-None-Match garbage', { headers: { 'if-none-match': '"\u00ff", W/' } });

  if (op.bodySchema) {
    const props = op.bodySchema.properties ?? {};
    for (const [name, schema] of Object.entries(props)) {
      for (const [label, value] of BODY_VALUES)
        add(`body.${name} = ${label}`, { body: { ...baseBody, [name]: value } });
      // One level down: each property of a nested object, and of an array's first element.
      const nested = schema.type === 'array' ? schema.items : schema;
      for (const [inner] of Object.entries(nested?.properties ?? {})) {
        for (const [label, value] of BODY_VALUES.filter((_, i) => i % 3 === 0)) {
          const container = baseBody?.[name];
          const replaced =
            schema.type === 'array'
              ? [{ ...((container as Record<string, unknown>[])?.[0] ?? {}), [inner]: value }]
              : { ...(container as Record<string, unknown>), [inner]: value };
          add(`body.${name}.${inner} = ${label}`, { body: { ...baseBody, [name]: replaced } });
        }
      }
    }
    for (const name of op.bodySchema.required ?? []) {
      const body = { ...baseBody };
      delete body[name];
      add(`body without ${name}`, { body });
    }
    add('body with an unknown property', { body: { ...baseBody, fuzzExtra: 1 } });
    for (const [label, body] of [
      ['body = []', []],
      ['body = null', null],
      ['body = "text"', 'text'],
      ['body = 42', 42],
    ] as [string, unknown][])
      add(label, { body });
    add('body nested 10,000 deep', {
      raw: '['.repeat(10_000) + ']'.repeat(10_000),
      headers: { 'content-type': 'application/json' },
    });
    add('body: malformed JSON', { raw: '{"a": ', headers: { 'content-type': 'application/json' } });
    add('body: 2 MB of JSON string', {
      raw: JSON.stringify(TWO_MB),
      headers: { 'content-type': 'application/json' },
    });
    add('body as text/plain', {
      raw: JSON.stringify(baseBody),
      headers: { 'content-type': 'text/plain' },
    });
    add('body as XML', { raw: '<a>1</a>', headers: { 'content-type': 'application/xml' } });
    add('body as a form', {
      raw: 'a=1&b=%00&c[]=2',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    add('body: bad multipart', {
      raw: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    });
    if (op.bodyTypes.includes('multipart/form-data')) {
      const fields = Object.fromEntries(
        Object.entries(baseBody ?? {}).map(([k, v]) => [
          k,
          typeof v === 'string' ? v : JSON.stringify(v),
        ]),
      );
      add('multipart baseline', { multipart: fields });
      for (const name of Object.keys(fields))
        add(`multipart.${name} = NUL`, { multipart: { ...fields, [name]: 'a\u0000b' } });
    }
  } else if (op.method !== 'get' && op.method !== 'delete') {
    add('unexpected JSON body', { body: { fuzz: 'a\u0000b' } });
  }
  return out;
}
