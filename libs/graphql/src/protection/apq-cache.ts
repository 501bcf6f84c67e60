import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { RedisConnection } from '#porch/core';

/** Memory the persisted queries may use per process without Redis (or while it is down). */
export const APQ_MEMORY_BYTES = 8 * 1024 * 1024;
const PREFIX = 'porch:apq:';

/**
 * The cache behind automatic persisted queries (query text by its sha256): Redis when REDIS_URL
 * is set, so a hash registered on one instance is known to all, or a size-bounded LRU in memory.
 * While Redis is unreachable the memory one serves (as for the rate limits): a miss there only
 * makes the client send the full query once more.
 */
export class PersistedQueryCache implements KeyValueCache<string> {
  private readonly memory = new InMemoryLRUCache<string>({ maxSize: APQ_MEMORY_BYTES });

  constructor(private readonly redis: RedisConnection) {}

  get(key: string): Promise<string | undefined> {
    return this.redis.run(
      async (client) => (await client.get(PREFIX + key)) ?? undefined,
      () => this.memory.get(key),
    );
  }

  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const ttl = options?.ttl;
    return this.redis.run(
      async (client) => {
        if (ttl) await client.set(PREFIX + key, value, 'EX', Math.ceil(ttl));
        else await client.set(PREFIX + key, value);
      },
      () => this.memory.set(key, value, { ttl }),
    );
  }

  delete(key: string): Promise<boolean | void> {
    return this.redis.run(
      async (client) => (await client.del(PREFIX + key)) > 0,
      () => this.memory.delete(key),
    );
  }
}
