import { MikroORM } from '@mikro-orm/core';
import { Controller, Get } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthIndicatorResult,
  MikroOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '../auth/access.decorators.js';
import { ProblemDetails } from '../errors/problem.js';
import { ServiceUnavailableProblem } from '../errors/problem.exception.js';
import { ShutdownState } from '../http/graceful-shutdown.js';
import { RedisConnection } from '../throttle/redis.js';

/** Terminus's answer: `ok`, with each check's result. */
export class HealthStatusDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: 'ok';
  /** The checks that passed. */
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { database: { status: 'up' }, migrations: { status: 'up' } },
  })
  info!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  error!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { database: { status: 'up' }, migrations: { status: 'up' } },
  })
  details!: Record<string, unknown>;
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: MikroOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly orm: MikroORM,
    private readonly redis: RedisConnection,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Once every migration is applied it stays so for this process: no need to ask again. */
  private migrated = false;

  /** Liveness: the process answers. */
  @Get('live')
  // Documented here: terminus's own docs would describe its 503 body, but a 503 is problem+json.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Alive', type: HealthStatusDto })
  live() {
    return this.health.check([]);
  }

  /**
   * Readiness: the database answers and every migration is applied (both required), and the
   * state of Redis when REDIS_URL is set. Redis is reported but not required: while it is down
   * the rate limits count in this process's memory, so the instance still serves. 503 from the
   * moment the process is asked to stop.
   */
  @Get('ready')
  @ApiOkResponse({
    description: 'Ready; `details` gives each dependency`s state',
    type: HealthStatusDto,
  })
  @ApiServiceUnavailableResponse({
    description: 'Not ready (or shutting down); `checks` tells which check failed',
    type: ProblemDetails,
  })
  async ready() {
    if (this.shutdown.draining)
      throw new ServiceUnavailableProblem('Shutting down', 1, { checks: { shutdown: true } });
    const redis = this.redisState();
    // Terminus throws a 503 of its own shape; answer with problem+json that keeps the checks.
    const result = await this.health
      .check([
        () => this.db.pingCheck('database', { timeout: 2000 }),
        async () => {
          const indicator = this.indicators.check('migrations');
          if (this.migrated) return indicator.up();
          const pending = await this.orm
            .getMigrator()
            .getPendingMigrations()
            .catch((error: Error) => error);
          if (pending instanceof Error) return indicator.down({ message: pending.message });
          this.migrated = pending.length === 0;
          return pending.length
            ? indicator.down({ pending: pending.map((m) => m.name) })
            : indicator.up();
        },
      ])
      .catch((error: unknown) => {
        const details = (error as { response?: { details?: unknown } }).response?.details;
        if (!details) throw error;
        throw new ServiceUnavailableProblem('Not ready', 5, {
          checks: { ...(details as object), ...redis },
        });
      });
    return { ...result, details: { ...result.details, ...redis } };
  }

  /** Redis as readiness reports it: nothing without REDIS_URL. */
  private redisState(): HealthIndicatorResult {
    if (!this.redis.client) return {};
    return this.redis.usable
      ? { redis: { status: 'up' } }
      : {
          redis: {
            status: 'down',
            required: false,
            message: `rate limits count in this process's memory (${this.redis.lastError ?? this.redis.client.status})`,
          },
        };
  }
}
