import { MikroORM } from '@mikro-orm/core';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ProblemDetails } from '../errors/problem.js';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  MikroOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '../auth/access.decorators.js';
import { ProblemException } from '../errors/problem.exception.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: MikroOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly orm: MikroORM,
  ) {}

  /** Once every migration is applied it stays so for this process: no need to ask again. */
  private migrated = false;

  /** Liveness: the process answers. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Readiness: the database answers and every migration is applied. */
  @Get('ready')
  @ApiOkResponse({ description: 'Ready' })
  @ApiServiceUnavailableResponse({
    description: 'Not ready; `checks` tells which check failed',
    type: ProblemDetails,
  })
  async ready() {
    // Terminus throws a 503 of its own shape; answer with problem+json that keeps the checks.
    return this.health
      .check([
        () => this.db.pingCheck('database', { timeout: 2000 }),
        async () => {
          const indicator = this.indicators.check('migrations');
          if (this.migrated) return indicator.up();
          const pending = await this.orm.getMigrator().getPendingMigrations();
          this.migrated = pending.length === 0;
          return pending.length
            ? indicator.down({ pending: pending.map((m) => m.name) })
            : indicator.up();
        },
      ])
      .catch((error: unknown) => {
        const details = (error as { response?: { details?: unknown } }).response?.details;
        if (!details) throw error;
        throw new ProblemException(503, 'Not ready', { checks: details });
      });
  }
}
