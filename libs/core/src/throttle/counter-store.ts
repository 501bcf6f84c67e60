import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { RedisConnection } from './redis.js';

/**
 * Windowed counters (e.g. failed logins per email+IP): in memory, or in Redis when REDIS_URL is
 * set so that every instance sees the same count.
 */
@Injectable()
export class CounterStore implements OnApplicationShutdown {
  private readonly memory = new Map<string, { hits: number; expiresAt: number }>();
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly redis: RedisConnection) {}

  /** Current count and seconds until the window resets (0 when empty). */
  async get(key: string): Promise<{ hits: number; retryAfter: number }> {
    const client = this.redis.client;
    if (client) {
      const [hits, ttl] = await client
        .multi()
        .get(key)
        .pttl(key)
        .exec()
        .then((r) => r!.map(([, v]) => v));
      return { hits: Number(hits ?? 0), retryAfter: Math.max(0, Math.ceil(Number(ttl) / 1000)) };
    }
    const entry = this.live(key);
    return entry
      ? { hits: entry.hits, retryAfter: Math.ceil((entry.expiresAt - Date.now()) / 1000) }
      : { hits: 0, retryAfter: 0 };
  }

  /** Adds one hit; the window starts at the first hit and lasts `windowSeconds`. */
  async hit(key: string, windowSeconds: number): Promise<number> {
    const client = this.redis.client;
    if (client) {
      const [[, hits]] = (await client
        .multi()
        .incr(key)
        .expire(key, windowSeconds, 'NX')
        .exec()) as [[null, number]];
      return hits;
    }
    this.sweep();
    const entry = this.live(key) ?? { hits: 0, expiresAt: Date.now() + windowSeconds * 1000 };
    entry.hits += 1;
    this.memory.set(key, entry);
    return entry.hits;
  }

  async reset(key: string): Promise<void> {
    if (this.redis.client) await this.redis.client.del(key);
    else this.memory.delete(key);
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
