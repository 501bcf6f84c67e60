import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/** One cell: numbers and booleans as such, dates as ISO 8601 UTC text (as in the CSV), JSON as JSON. */
function cell(value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
    return value;
  }
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

/** Resolves when `stream` can take more, or is gone. */
function drained(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

/**
 * An .xlsx file streamed from rows (an object-mode stream, e.g. a database cursor): exceljs'
 * streaming WorkbookWriter commits each row as it comes, and the next row is pulled only once
 * the zip output has drained, so memory stays flat whatever the row count. Text cells are
 * plain strings, which a spreadsheet never evaluates: no formula guard is needed here.
 *
 * Destroying the returned stream (the client went away) stops pulling rows and destroys `rows`.
 */
export function xlsxStream(
  rows: Readable,
  columns: readonly string[],
  sheetName: string,
): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  const pump = async () => {
    sheet.addRow([...columns]).commit();
    for await (const row of rows as AsyncIterable<Record<string, unknown>>) {
      if (out.destroyed) break;
      sheet.addRow(columns.map((column) => cell(row[column]))).commit();
      if (out.writableNeedDrain) await drained(out);
    }
    if (out.destroyed) {
      rows.destroy();
      return;
    }
    sheet.commit();
    await workbook.commit();
  };
  pump().catch((error: unknown) => {
    rows.destroy();
    out.destroy(error as Error);
  });
  out.once('close', () => {
    if (!rows.readableEnded) rows.destroy();
  });
  return out;
}
