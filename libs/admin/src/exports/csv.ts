import { stringify, type Stringifier } from 'csv-stringify';

/** Leading characters a spreadsheet would read as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes a would-be formula with `'`, which spreadsheets show as text. */
export function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * RFC 4180 CSV (CRLF line ends, fields quoted only when they hold a comma, quote or line
 * break, quotes doubled) with a header row; dates as ISO 8601 UTC, booleans as true/false, JSON
 * as JSON, and every text cell neutralized against formula injection.
 */
export function csvStringifier(columns: readonly string[]): Stringifier {
  return stringify({
    header: true,
    columns: columns.map((key) => ({ key, header: key })),
    record_delimiter: 'windows',
    cast: {
      boolean: (value) => (value ? 'true' : 'false'),
      date: (value) => value.toISOString(),
      number: (value) => String(value),
      bigint: (value) => String(value),
      object: (value) => neutralizeFormula(JSON.stringify(value)),
      string: (value) => neutralizeFormula(value),
    },
  });
}
