import type { DynamicModule, Type } from '@nestjs/common';
import { AccountsModule } from '#porch/accounts';
import { AuditModule } from '#porch/admin';
import { HealthRegionsModule } from '#porch/health-regions';
import { InvitesModule } from '#porch/invites';
import { PartiesHostingStatus, PartiesModule } from '#porch/parties';
import { TasksModule } from '#porch/tasks';

/**
 * The domain modules, in one list shared by the API and the manage CLI (so both know every entity).
 */
export const DOMAIN_MODULES: Array<Type<unknown> | DynamicModule> = [
  AccountsModule.forRoot({ hostingStatus: PartiesHostingStatus }),
  HealthRegionsModule,
  PartiesModule,
  InvitesModule,
  TasksModule,
  AuditModule,
];
