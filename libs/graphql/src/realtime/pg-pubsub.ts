import { Logger } from '@nestjs/common';
import { PubSubEngine } from 'graphql-subscriptions';
import pg from 'pg';

/** Reconnect delays after the listening connection is lost (ms), the last one repeated. */
const BACKOFF_MS = [100, 500, 1_000, 2_000, 5_000];

/**
 * graphql-subscriptions' PubSubEngine over PostgreSQL LISTEN/NOTIFY, for deployments without
 * Redis: one connection of its own per process LISTENs on one channel; `publish` NOTIFYs it, so
 * every instance on the database (this one included) hears every event. Messages are
 * `{ trigger, payload }` as JSON (NOTIFY takes up to 8000 bytes: small events only). A lost
 * connection is re-opened with a backoff and LISTENs again; events sent meanwhile are missed, as
 * they would be by a Redis subscriber.
 */
export class PgPubSub extends PubSubEngine {
  private readonly logger = new Logger('PgPubSub');
  private readonly handlers = new Map<
    number,
    { trigger: string; onMessage: (p: unknown) => void }
  >();
  private nextId = 0;
  private client?: Promise<pg.Client>;
  private failures = 0;
  private closed = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly channel = 'porch_pubsub',
  ) {
    super();
  }

  async publish(trigger: string, payload: unknown): Promise<void> {
    const client = await this.connection();
    await client.query('select pg_notify($1, $2)', [
      this.channel,
      JSON.stringify({ trigger, payload }),
    ]);
  }

  async subscribe(trigger: string, onMessage: (payload: unknown) => void): Promise<number> {
    const id = ++this.nextId;
    this.handlers.set(id, { trigger, onMessage });
    await this.connection();
    return id;
  }

  unsubscribe(id: number): void {
    this.handlers.delete(id);
  }

  /** Connects (once) and LISTENs; resolves when listening. */
  connection(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('PgPubSub is closed'));
    this.client ??= this.open();
    return this.client;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = await this.client?.catch(() => undefined);
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'porch-pubsub' });
    client.on('notification', (message) => {
      if (message.channel !== this.channel || !message.payload) return;
      let parsed: { trigger: string; payload: unknown };
      try {
        parsed = JSON.parse(message.payload) as typeof parsed;
      } catch {
        return;
      }
      for (const { trigger, onMessage } of this.handlers.values())
        if (trigger === parsed.trigger) onMessage(parsed.payload);
    });
    let gone = false;
    const lost = (error?: Error) => {
      if (gone || this.closed) return;
      gone = true;
      this.client = undefined;
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      const delay = BACKOFF_MS[Math.min(this.failures++, BACKOFF_MS.length - 1)];
      this.logger.warn(
        `LISTEN connection lost (${error?.message ?? 'ended'}); reconnecting in ${delay} ms`,
      );
      this.retry = setTimeout(() => {
        if (!this.closed && !this.client && this.handlers.size)
          this.connection().catch(() => undefined);
      }, delay);
      this.retry.unref();
    };
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(this.channel)}`);
    } catch (error) {
      lost(error as Error);
      throw error;
    }
    client.on('error', lost);
    client.on('end', () => lost());
    if (this.failures) this.logger.log('LISTEN connection back');
    this.failures = 0;
    return client;
  }
}
