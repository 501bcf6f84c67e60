import type pg from 'pg';

/** A query function over one connection that runs its queries one after another. */
export type Query = <R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values?: unknown[],
) => Promise<pg.QueryResult<R>>;

/**
 * The worker's control connection is shared by the stream handler and its timers; node-postgres
 * wants one query at a time per client (queueing is deprecated), so queries wait their turn here.
 */
export function serialized(client: pg.Client): Query {
  let tail: Promise<unknown> = Promise.resolve();
  return <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const run = tail.then(() => client.query<R>(text, values));
    tail = run.catch(() => undefined);
    return run;
  };
}
