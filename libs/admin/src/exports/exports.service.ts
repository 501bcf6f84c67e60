import { finished, pipeline, type Readable } from 'node:stream';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import {
  DatabaseServer,
  isUnavailableError,
  NotFoundProblem,
  ProblemException,
  ServiceUnavailableProblem,
  ValidationProblem,
  type FieldError,
} from '#porch/core';
import { csvStringifier } from './csv.js';
import { EXPORT_DEFINITIONS } from './definitions/index.js';
import type { ExportQueryDto } from './dto/export-query.dto.js';
import {
  EXPORT_FILTERS,
  type ExportDefinition,
  type ExportFilters,
  type SqlQuery,
} from './export-definition.js';
import { xlsxStream } from './xlsx.js';

export type ExportFormat = 'csv' | 'xlsx';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** An export being produced: pipe `stream` to the client; destroying it frees the connection. */
export interface CsvExport {
  filename: string;
  contentType: string;
  stream: Readable;
}

/** How to produce an export beyond its filters. */
export interface ExportOptions {
  format?: ExportFormat;
  /** Only the rows whose key is in this subquery (the admin panel's list: filters, search, selection). */
  scope?: SqlQuery;
  now?: Date;
}

const DATE_OID = 1082;

/** Exports run on connections of their own, so a long download never holds an ORM connection. */
const POOL_SIZE = 4;
/** Rows fetched per cursor round trip. */
const BATCH_SIZE = 500;

/** Resolves when the stream has its first chunk (the query ran), rejects if it fails first. */
function firstChunk(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('readable', done);
      stream.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    stream.once('readable', done);
    stream.once('error', done);
  });
}

/**
 * The CSV exports registry (definitions/) and its streaming: each export runs as a server-side
 * cursor (pg-query-stream) on a dedicated pool, piped through csv-stringify with backpressure, so
 * memory stays flat whatever the row count.
 */
@Injectable()
export class ExportsService implements OnApplicationShutdown {
  private readonly logger = new Logger('Exports');
  private readonly definitions = new Map(EXPORT_DEFINITIONS.map((d) => [d.name, d]));
  private pool?: pg.Pool;

  constructor(@Inject(DatabaseServer) private readonly db: DatabaseServer) {}

  names(): string[] {
    return [...this.definitions.keys()];
  }

  has(name: string): boolean {
    return this.definitions.has(name);
  }

  /**
   * Starts an export. Unknown name → 404; a filter the export does not support, or a bad range
   * → 400. Resolves once the query runs (SQL errors throw here, before any byte is sent).
   */
  async open(
    name: string,
    query: ExportQueryDto,
    { format = 'csv', scope, now = new Date() }: ExportOptions = {},
  ): Promise<CsvExport> {
    const definition = this.definitions.get(name);
    if (!definition) throw new NotFoundProblem(`There is no export named '${name}'`);
    const filters = { ...this.filters(definition, query), scope };
    const sql = definition.sql(filters);

    const client = await this.connect();
    let released = false;
    const release = (error?: Error) => {
      if (released) return;
      released = true;
      client.off('error', onClientError);
      // A cursor cut short leaves the connection mid-protocol: closed rather than reused.
      client.release(error);
    };
    // A checked-out client is no longer watched by the pool: when PostgreSQL drops the
    // connection mid-export (restart, failover, pg_terminate_backend) the client emits 'error',
    // and an 'error' nobody listens to ends the process. pg-query-stream never finishes
    // destroying a cursor whose connection is gone (brianc/node-postgres#2642), so the CSV
    // stream is failed here (the download is cut short) and the client given back at once.
    const onClientError = (error: Error) => {
      this.logger.warn({ err: error.message, export: name }, 'export connection lost');
      (stream ?? rows).destroy(error);
      release(error);
    };
    client.on('error', onClientError);
    const rows = client.query(new QueryStream(sql.text, sql.values, { batchSize: BATCH_SIZE }));
    let stream: Readable | undefined;
    try {
      if (format === 'xlsx') {
        // The query must answer before the file starts (SQL errors throw here).
        await firstChunk(rows);
        stream = xlsxStream(rows, definition.columns, name);
        finished(rows, (error) => release(error ?? undefined));
      } else {
        stream = pipeline(rows, csvStringifier(definition.columns, { bom: query.bom }), (e) =>
          release(e ?? undefined),
        );
        await firstChunk(stream);
      }
    } catch (error) {
      (stream ?? rows).destroy();
      if (isUnavailableError(error)) throw new ServiceUnavailableProblem();
      this.logger.error({ err: error, export: name }, 'export query failed');
      throw new ProblemException(500, 'The export failed; it has been logged.');
    }
    return {
      filename: this.filename(name, format, now),
      contentType: CONTENT_TYPES[format],
      stream,
    };
  }

  /** The file name an export is sent as (`users-2026-11-22.csv`). */
  filename(name: string, format: ExportFormat, now = new Date()): string {
    return `${name}-${now.toISOString().slice(0, 10)}.${format}`;
  }

  private filters(definition: ExportDefinition, query: ExportQueryDto): ExportFilters {
    const errors: FieldError[] = [];
    for (const key of EXPORT_FILTERS) {
      if (query[key] !== undefined && !definition.filters.includes(key)) {
        errors.push({
          field: key,
          message: `the ${definition.name} export does not filter by ${key}`,
        });
      }
    }
    const since = query.since ? new Date(query.since) : undefined;
    const until = query.until ? new Date(query.until) : undefined;
    if (since && until && since > until) {
      errors.push({ field: 'until', message: 'until must not be before since' });
    }
    if (errors.length) throw new ValidationProblem(errors);
    return {
      userIds: query.userIds?.length ? query.userIds.map((id) => id.toLowerCase()) : undefined,
      groupId: query.groupId?.toLowerCase(),
      since,
      until,
    };
  }

  private async connect(): Promise<pg.PoolClient> {
    if (!this.pool) {
      this.pool = new pg.Pool({
        connectionString: this.db.url,
        max: POOL_SIZE,
        idleTimeoutMillis: 10_000,
        connectionTimeoutMillis: 15_000,
        application_name: 'porch-exports',
        options: '-c TimeZone=UTC -c default_transaction_read_only=on',
        // `date` columns stay 'YYYY-MM-DD' text instead of becoming local-midnight Dates.
        types: {
          getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
            oid === DATE_OID
              ? (value: string) => value
              : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
        },
      });
      // Every client listens for 'error' from birth to end. pg-pool stops listening when it
      // hands a new client out, synchronously inside the connection's ReadyForQuery; a
      // termination notice in the same TCP read (pg_terminate_backend during a reconnect storm)
      // is emitted before `open` can listen, and an unheard 'error' ends the process. The query
      // running on it fails on its own; `open`'s listener ends the download.
      this.pool.on('connect', (client) => client.on('error', () => undefined));
      // Idle connections dropped by PostgreSQL are reported here; the pool replaces them.
      this.pool.on('error', (error) =>
        this.logger.warn({ err: error.message }, 'idle export connection lost'),
      );
    }
    try {
      return await this.pool.connect();
    } catch (error) {
      this.logger.warn({ err: error }, 'no connection for an export');
      throw new ServiceUnavailableProblem(
        /timeout exceeded/i.test((error as Error).message)
          ? 'Too many exports are running; try again shortly.'
          : 'The database is unavailable; try again shortly.',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.end();
  }
}
