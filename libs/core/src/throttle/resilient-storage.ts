import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { FixedWindowThrottlerStorage } from './fixed-window-storage.js';
import type { RedisConnection } from './redis.js';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The rate limiter's storage: Redis (shared by every instance) while it answers, this process's
 * fixed windows while it does not. A Redis outage thus keeps every limit in force per instance
 * instead of failing each limited request; when Redis is back, its counts are used again.
 */
@Injectable()
export class ResilientThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly memory = new FixedWindowThrottlerStorage();
  private readonly shared?: ThrottlerStorageRedisService;

  constructor(private readonly redis: RedisConnection) {
    if (redis.client) this.shared = new ThrottlerStorageRedisService(redis.client);
  }

  /** The same hit (key, ttl, limit, blockDuration, throttler) for whichever storage answers. */
  increment(...hit: Parameters<ThrottlerStorage['increment']>): Promise<ThrottlerStorageRecord> {
    const local = () => this.memory.increment(...hit);
    if (!this.shared) return local();
    return this.redis.run(() => this.shared!.increment(...hit), local);
  }

  onApplicationShutdown(): void {
    this.memory.onApplicationShutdown();
  }
}
