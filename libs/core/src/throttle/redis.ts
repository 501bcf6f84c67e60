import { Redis } from 'ioredis';

/** The shared Redis connection (REDIS_URL), or null: counters then live in this process. */
export abstract class RedisConnection {
  abstract readonly client: Redis | null;
}

export function createRedis(url: string | undefined): RedisConnection {
  const client = url
    ? new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false })
    : null;
  return { client };
}
