import {
  ExecutionContext,
  Global,
  Injectable,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import {
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  ThrottlerModule,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { bearerToken } from '../auth/access.guard.js';
import { AppConfig } from '../config/app-config.js';
import { httpOf } from '../http/request-of.js';
import { TooManyRequestsProblem } from '../errors/problem.exception.js';
import { CounterStore } from './counter-store.js';
import { createRedis, RedisConnection } from './redis.js';
import { ResilientThrottlerStorage } from './resilient-storage.js';

/** The per-client limit, counted once the caller is known (after the token check). */
const PER_CLIENT = 'default';
/** The per-address limit on requests that present a token, counted before the token check. */
const PRE_AUTH = 'ip';

/** A guard that applies one of the configured throttlers, with one counter per client. */
abstract class OneThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly throttlerName: string;

  /** The default keys one counter per route and hashes it (sha256) on every request. */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const http = httpOf(context);
    return !http || http.req.path.startsWith('/health/');
  }

  /** REST routes and GraphQL resolvers (one count per root field) alike. */
  protected override getRequestResponse(context: ExecutionContext): {
    req: Record<string, unknown>;
    res: Record<string, unknown>;
  } {
    const http = httpOf(context);
    return http
      ? {
          req: http.req as unknown as Record<string, unknown>,
          res: http.res as unknown as Record<string, unknown>,
        }
      : super.getRequestResponse(context);
  }

  /**
   * Keeps its own throttler only: the base guard reads each throttler's six route options on
   * every request before it asks `handleRequest` whether to count.
   */
  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = this.throttlers.filter((t) => t.name === this.throttlerName);
    if (this.throttlers.length !== 1)
      throw new Error(`throttler ${this.throttlerName} is not configured`);
  }

  /** 429 problem+json with a plain `Retry-After`, whichever throttler refused. */
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new TooManyRequestsProblem(detail.timeToBlockExpire);
  }
}

/**
 * Rate limit per user when authenticated (the AccessGuard runs first), else per client IP: one
 * counter per client across all routes (SPEC §10: "1,000 requests a minute").
 */
@Injectable()
export class PorchThrottlerGuard extends OneThrottlerGuard {
  protected readonly throttlerName = PER_CLIENT;

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const r = req as unknown as Request;
    return r.user ? `user:${r.user.id}` : `ip:${r.ip}`;
  }
}

/**
 * The limit before authentication: requests that present a bearer token, per client IP
 * (RATE_LIMIT_PER_IP_PER_MINUTE), counted before the token is looked up, so that a flood of
 * made-up tokens is answered 429 without a database query each. Requests without a token cost
 * no lookup and are limited per IP by PorchThrottlerGuard alone, where signed-in users keep
 * their per-user limit too. This one is the ceiling for everyone behind one address (an
 * office, a carrier's NAT), hence higher than the per-user limit by default.
 */
@Injectable()
export class PreAuthThrottlerGuard extends OneThrottlerGuard {
  protected readonly throttlerName = PRE_AUTH;

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return `ip:${(req as unknown as Request).ip}`;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const http = httpOf(context);
    // Counted once per request: a GraphQL request's later root fields find its user known.
    return (
      !http ||
      bearerToken(http.req) === undefined ||
      http.req.user !== undefined ||
      (await super.shouldSkip(context))
    );
  }
}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(private readonly redis: RedisConnection) {}
  async onApplicationShutdown(): Promise<void> {
    const client = this.redis.client;
    if (!client) return;
    // Disconnected: quit() cannot be sent, and the client would go on reconnecting.
    if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
    else client.disconnect();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: RedisConnection,
      inject: [AppConfig],
      // A Redis that does not answer within 2 s does not hold up the start: limits count in
      // memory until it does.
      useFactory: async (c: AppConfig) => {
        const redis = createRedis(c.REDIS_URL);
        await redis.connected(2_000);
        return redis;
      },
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
        throttlers: [
          {
            name: PRE_AUTH,
            ttl: 60_000,
            limit: config.RATE_LIMIT_PER_IP_PER_MINUTE,
            setHeaders: false, // X-RateLimit-* describe the caller's own limit
          },
          { name: PER_CLIENT, ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE },
        ],
        storage: new ResilientThrottlerStorage(redis),
      }),
    }),
  ],
  providers: [CounterStore, PorchThrottlerGuard, PreAuthThrottlerGuard],
  exports: [RedisModule, CounterStore, PorchThrottlerGuard, PreAuthThrottlerGuard, ThrottlerModule],
})
export class ThrottleModule {}

export { ThrottlerStorage };
