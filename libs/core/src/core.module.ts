import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard, PermissionGuard } from './auth/access.guard.js';
import { AccessModule } from './auth/access.service.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { ExpiredRowsTimer } from './database/expired-rows.js';
import { HealthModule } from './health/health.module.js';
import { ShutdownStateModule } from './http/graceful-shutdown.js';
import { IdempotencyModule } from './http/idempotency/idempotency.interceptor.js';
import { InputGuard } from './http/input-checks.js';
import { UnknownQueryGuard } from './http/unknown-query.guard.js';
import { LoggingModule } from './logging/logging.module.js';
import { MailModule } from './mail/mail.service.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { SeedingModule } from './seeding/seeding.module.js';
import {
  PorchThrottlerGuard,
  PreAuthThrottlerGuard,
  ThrottleModule,
} from './throttle/throttle.module.js';

/**
 * The ground every module stands on: config, logs, database (+ migrations), rate limits, health,
 * metrics, and the global guards in their order: how often this address presents tokens → who is
 * calling → how often this caller calls → what they may send (no NUL) and ask (known query
 * parameters) → what they may do to the route's object (AccessService); then, around the handler of
 * each `@Idempotent()` write, Idempotency-Key replays; and the sweep of expired rows.
 */
@Module({
  imports: [
    ConfigModule,
    ShutdownStateModule,
    LoggingModule,
    DatabaseModule.forRoot(),
    ThrottleModule,
    HealthModule,
    MailModule,
    MetricsModule,
    SeedingModule,
    AccessModule,
    IdempotencyModule,
  ],
  providers: [
    { provide: APP_GUARD, useExisting: PreAuthThrottlerGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useExisting: PorchThrottlerGuard },
    { provide: APP_GUARD, useClass: InputGuard },
    { provide: APP_GUARD, useClass: UnknownQueryGuard },
    { provide: APP_GUARD, useClass: PermissionGuard },
    ExpiredRowsTimer,
  ],
})
export class CoreModule {}
