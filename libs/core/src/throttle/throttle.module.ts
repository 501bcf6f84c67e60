import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import {
  ExecutionContext,
  Global,
  Injectable,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config.js';
import { CounterStore } from './counter-store.js';
import { FixedWindowThrottlerStorage } from './fixed-window-storage.js';
import { createRedis, RedisConnection } from './redis.js';

/**
 * Rate limit per user when authenticated (the AccessGuard runs first), else per client IP: one
 * counter per client across all routes (SPEC §10: "1,000 requests a minute").
 */
@Injectable()
export class PorchThrottlerGuard extends ThrottlerGuard {
  /** The default keys one counter per route and hashes it (sha256) on every request. */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const r = req as unknown as Request;
    return r.user ? `user:${r.user.id}` : `ip:${r.ip}`;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    return req.path.startsWith('/health/');
  }
}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(private readonly redis: RedisConnection) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.client?.quit().catch(() => undefined);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: RedisConnection,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => createRedis(c.REDIS_URL),
    },
    RedisLifecycle,
  ],
  exports: [RedisConnection],
})
export class RedisModule {}

@Global()
@Module({
  imports: [
    RedisModule,
    ThrottlerModule.forRootAsync({
      imports: [RedisModule],
      inject: [AppConfig, RedisConnection],
      useFactory: (config: AppConfig, redis: RedisConnection) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
        storage: redis.client
          ? new ThrottlerStorageRedisService(redis.client)
          : new FixedWindowThrottlerStorage(),
      }),
    }),
  ],
  providers: [CounterStore, PorchThrottlerGuard],
  exports: [RedisModule, CounterStore, PorchThrottlerGuard, ThrottlerModule],
})
export class ThrottleModule {}

export { ThrottlerStorage };
