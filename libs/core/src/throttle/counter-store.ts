import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { RedisConnection } from './redis.js';

/** A MULTI's replies, or the first error among them. */
function replies(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error('Redis transaction aborted');
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  return results.map(([, value]) => value);
}

/**
 * Windowed counters (e.g. failed logins per email+IP): in memory, or in Redis when REDIS_URL is
 * set so that every instance sees the same count. While Redis is unreachable they count in this
 * process's memory (RedisConnection.run), so the limits built on them hold through an outage.
 */
@Injectable()
export class CounterStore implements OnApplicationShutdown {
  private readonly memory = new Map<string, { hits: number; expiresAt: number }>();
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly redis: RedisConnection) {}

  /** Current count and seconds until the window resets (0 when empty). */
  get(key: string): Promise<{ hits: number; retryAfter: number }> {
    return this.redis.run(
      async (client) => {
        const [hits, ttl] = replies(await client.multi().get(key).pttl(key).exec());
        return { hits: Number(hits ?? 0), retryAfter: Math.max(0, Math.ceil(Number(ttl) / 1000)) };
      },
      () => {
        const entry = this.live(key);
        return entry
          ? { hits: entry.hits, retryAfter: Math.ceil((entry.expiresAt - Date.now()) / 1000) }
          : { hits: 0, retryAfter: 0 };
      },
    );
  }

  /** Adds one hit; the window starts at the first hit and lasts `windowSeconds`. */
  hit(key: string, windowSeconds: number): Promise<number> {
    return this.redis.run(
      async (client) => {
        const [hits] = replies(
          await client.multi().incr(key).expire(key, windowSeconds, 'NX').exec(),
        );
        return Number(hits);
      },
      () => {
        this.sweep();
        const entry = this.live(key) ?? { hits: 0, expiresAt: Date.now() + windowSeconds * 1000 };
        entry.hits += 1;
        this.memory.set(key, entry);
        return entry.hits;
      },
    );
  }

  /**
   * Adds `amount` hits at once (a cost, e.g. a GraphQL operation's); the window starts at the
   * first hit. Returns the new count and the seconds until the window resets.
   */
  add(
    key: string,
    amount: number,
    windowSeconds: number,
  ): Promise<{ hits: number; retryAfter: number }> {
    return this.redis.run(
      async (client) => {
        const [hits, , ttl] = replies(
          await client
            .multi()
            .incrby(key, amount)
            .expire(key, windowSeconds, 'NX')
            .pttl(key)
            .exec(),
        );
        return { hits: Number(hits), retryAfter: Math.max(1, Math.ceil(Number(ttl) / 1000)) };
      },
      () => {
        this.sweep();
        const entry = this.live(key) ?? { hits: 0, expiresAt: Date.now() + windowSeconds * 1000 };
        entry.hits += amount;
        this.memory.set(key, entry);
        return {
          hits: entry.hits,
          retryAfter: Math.max(1, Math.ceil((entry.expiresAt - Date.now()) / 1000)),
        };
      },
    );
  }

  async reset(key: string): Promise<void> {
    // Both: a count made in memory during a Redis outage must not outlive a successful login.
    this.memory.delete(key);
    await this.redis.run(
      (client) => client.del(key).then(() => undefined),
      () => undefined,
    );
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  private live(key: string) {
    const entry = this.memory.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.memory.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep() {
    this.sweeper ??= setInterval(() => {
      const now = Date.now();
      for (const [k, v] of this.memory) if (v.expiresAt <= now) this.memory.delete(k);
    }, 60_000).unref();
  }
}
