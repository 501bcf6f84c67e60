import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './auth/access.guard.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { HotRoutesModule } from './http/hot-routes.js';
import { UnknownQueryGuard } from './http/unknown-query.guard.js';
import { LoggingModule } from './logging/logging.module.js';
import { MailModule } from './mail/mail.service.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { SeedingModule } from './seeding/seeding.module.js';
import { PorchThrottlerGuard, ThrottleModule } from './throttle/throttle.module.js';

/**
 * The ground every module stands on: config, logs, database (+ migrations), rate limits, health,
 * metrics, and the global guards in their order: who is calling → how often → what they may ask.
 */
@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DatabaseModule.forRoot(),
    ThrottleModule,
    HealthModule,
    HotRoutesModule,
    MailModule,
    MetricsModule,
    SeedingModule,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useExisting: PorchThrottlerGuard },
    { provide: APP_GUARD, useClass: UnknownQueryGuard },
  ],
})
export class CoreModule {}
