import pg from 'pg';

/** Drops every database this run made (on a shared server) and stops the embedded one. */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.PORCH_TEST_RUN;
  const embedded = globalThis.__PORCH_EMBEDDED__;
  if (embedded) {
    await embedded.stop();
    return;
  }
  if (!run || !process.env.PORCH_TEST_ADMIN_URL) return;
  const client = new pg.Client({ connectionString: process.env.PORCH_TEST_ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${run}%`],
    );
    // Clones first, the template last.
    for (const { datname } of rows.sort((a, b) => b.datname.length - a.datname.length)) {
      await client.query(
        `DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`,
      );
    }
  } finally {
    await client.end();
  }
}
