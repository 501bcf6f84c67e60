import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { CsvExport } from './exports.service.js';

/**
 * HTTP end of an export (CSV or .xlsx), shared by the API route and the admin panel's: headers, then the CSV
 * piped into the response with backpressure. A client that goes away destroys the pipeline,
 * which stops the cursor and frees its connection.
 */
export async function sendCsv(res: Response, csv: CsvExport): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', csv.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${csv.filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  try {
    await pipeline(csv.stream, res);
  } catch {
    // The client left, or the query failed mid-stream: the response is cut short either way
    // (a truncated download, never a CSV that looks complete).
    res.destroy();
  }
}
