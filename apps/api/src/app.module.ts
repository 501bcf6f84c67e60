import { Module } from '@nestjs/common';
import { AdminPanelModule } from '#porch/admin';
import { CoreModule } from '#porch/core';
import { GraphqlModule } from '#porch/graphql';
import { ApiIndexController } from './api-index.controller.js';
import { DOMAIN_MODULES } from './domain-modules.js';
import { FirstRunService } from './first-run.service.js';

/**
 * Composition only: the core, each domain module, the GraphQL API and the admin panel over them; the API's
 * index (`GET /api/v1`); and the first-run set-up (demo data + superuser on an empty database).
 */
@Module({
  imports: [CoreModule, ...DOMAIN_MODULES, GraphqlModule, AdminPanelModule.forRoot()],
  controllers: [ApiIndexController],
  providers: [FirstRunService],
})
export class AppModule {}
