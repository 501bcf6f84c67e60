import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

/**
 * The shared Redis connection (REDIS_URL), or none: counters then live in this process.
 *
 * Redis is a convenience here, not a dependency the API cannot serve without: while it is
 * unreachable, rate limits and counters fall back to this process's memory (commands fail at
 * once instead of queueing), one warning is logged, and Redis is used again as soon as it
 * answers.
 */
export abstract class RedisConnection {
  abstract readonly client: Redis | null;
  /** True while Redis is connected and its last command did not fail. */
  abstract readonly usable: boolean;
  /** What the last failure said, while Redis is down. */
  abstract readonly lastError: string | undefined;

  /**
   * `viaRedis` when Redis is usable and answers; `fallback` (this process's memory) when Redis
   * is not configured, down, or the command fails.
   */
  abstract run<T>(
    viaRedis: (client: Redis) => Promise<T>,
    fallback: () => T | Promise<T>,
  ): Promise<T>;

  /** Resolves once connected, or after `timeoutMs` (the app starts all the same). */
  abstract connected(timeoutMs: number): Promise<void>;
}

/** After a failed command, Redis is left alone this long (a hung server costs one timeout). */
const BACKOFF_MS = 1_000;

class LiveRedisConnection extends RedisConnection {
  private readonly logger = new Logger('Redis');
  private down = false;
  private skipUntil = 0;
  lastError: string | undefined;

  constructor(readonly client: Redis) {
    super();
    // ioredis reports every failed (re)connection attempt as 'error'.
    client.on('error', (error: Error) => this.failed(error));
    client.on('ready', () => {
      this.skipUntil = 0;
      this.recovered();
    });
  }

  get usable(): boolean {
    return this.client.status === 'ready' && Date.now() >= this.skipUntil;
  }

  async run<T>(
    viaRedis: (client: Redis) => Promise<T>,
    fallback: () => T | Promise<T>,
  ): Promise<T> {
    if (!this.usable) return fallback();
    try {
      const result = await viaRedis(this.client);
      this.recovered();
      return result;
    } catch (error) {
      this.failed(error);
      return fallback();
    }
  }

  connected(timeoutMs: number): Promise<void> {
    if (this.client.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.client.once('ready', done);
    });
  }

  private failed(error: unknown): void {
    this.lastError = error instanceof Error ? error.message : String(error);
    this.skipUntil = Date.now() + BACKOFF_MS;
    if (this.down) return;
    this.down = true;
    this.logger.warn(
      `Redis is unreachable (${this.lastError}): rate limits and counters use this process's memory until it is back`,
    );
  }

  private recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.lastError = undefined;
    this.logger.log('Redis answers again: rate limits and counters are shared again');
  }
}

class NoRedis extends RedisConnection {
  readonly client = null;
  readonly usable = false;
  readonly lastError = undefined;
  async run<T>(_viaRedis: unknown, fallback: () => T | Promise<T>): Promise<T> {
    return fallback();
  }
  async connected(): Promise<void> {}
}

export function createRedis(url: string | undefined): RedisConnection {
  if (!url) return new NoRedis();
  const client = new Redis(url, {
    // Fail fast rather than hang a request: no queue while disconnected, no retry of a command,
    // a bounded time per command and per connection attempt; reconnect forever with a backoff.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  return new LiveRedisConnection(client);
}
