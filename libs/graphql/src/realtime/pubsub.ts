import type { PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { PgPubSub } from './pg-pubsub.js';

/** The injection token of the process's PubSubEngine (see createPubSub). */
export const PUB_SUB = 'PORCH_PUB_SUB';

/** The one trigger invite events travel on, between instances. */
export const INVITE_EVENTS = 'porch.invites';

export interface ClosablePubSub {
  engine: PubSubEngine;
  kind: 'redis' | 'postgres';
  close(): Promise<void>;
}

/**
 * How events reach every instance: Redis pub/sub when REDIS_URL is set (two connections of
 * its own: a subscribed connection can do nothing else), else PostgreSQL LISTEN/NOTIFY on the
 * app's database (one connection of its own). Both behind graphql-subscriptions' PubSubEngine.
 */
export function createPubSub(redisUrl: string | undefined, databaseUrl: string): ClosablePubSub {
  if (redisUrl) {
    const options = { retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000) };
    const engine = new RedisPubSub({
      publisher: new Redis(redisUrl, { ...options, enableOfflineQueue: false }),
      subscriber: new Redis(redisUrl, options),
    });
    for (const client of [engine.getPublisher(), engine.getSubscriber()])
      client.on('error', () => undefined); // ioredis reconnects by itself; RedisConnection logs outages
    return {
      engine,
      kind: 'redis',
      close: async () => {
        await engine.close().catch(() => undefined);
      },
    };
  }
  const engine = new PgPubSub(databaseUrl);
  return { engine, kind: 'postgres', close: () => engine.close() };
}
