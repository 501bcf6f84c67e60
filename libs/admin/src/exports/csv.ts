import { stringify, type Stringifier } from 'csv-stringify';

/** Leading characters a spreadsheet would read as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (`-5`, `+1.5`, `2e3`): a spreadsheet reads it as that number, nothing more. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** A lone arithmetic operator (a task's `+` or `-`): no formula either. */
const LONE_OPERATOR = /^[+\-*/]$/;

/**
 * Prefixes a would-be formula with `'`, which spreadsheets show as text. Only what a spreadsheet
 * would evaluate is touched: plain numbers and a lone operator arrive as they are, so analysis
 * scripts reading the file get the values that were stored.
 */
export function neutralizeFormula(value: string): string {
  if (!FORMULA_START.test(value) || PLAIN_NUMBER.test(value) || LONE_OPERATOR.test(value)) {
    return value;
  }
  return `'${value}`;
}

/**
 * RFC 4180 CSV (CRLF line ends, fields quoted only when they hold a comma, quote or line
 * break, quotes doubled) with a header row; dates as ISO 8601 UTC, booleans as true/false, JSON
 * as JSON, and every text cell neutralized against formula injection.
 */
export function csvStringifier(columns: readonly string[], { bom = false } = {}): Stringifier {
  return stringify({
    // A UTF-8 byte order mark, for Excel, which otherwise reads the file as the local code page.
    bom,
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
