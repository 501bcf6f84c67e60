import { Module } from '@nestjs/common';
import { AdminPanelModule } from '#porch/admin';
import { CoreModule } from '#porch/core';
import { DOMAIN_MODULES } from './domain-modules.js';

/** Composition only: the core, each domain module, then the admin panel over them all. */
@Module({
  imports: [CoreModule, ...DOMAIN_MODULES, AdminPanelModule.forRoot()],
})
export class AppModule {}
