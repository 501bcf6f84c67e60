import type { DynamicModule, Type } from '@nestjs/common';
import { AccountsModule } from '#porch/accounts';
import { AuditModule } from '#porch/admin';
import { InvitesModule } from '#porch/invites';
import { PartiesHostingStatus, PartiesModule } from '#porch/parties';

/**
 * The domain modules, in one list shared by the API and the manage CLI (so both know every entity).
 */
export const DOMAIN_MODULES: Array<Type<unknown> | DynamicModule> = [
  AccountsModule.forRoot({ hostingStatus: PartiesHostingStatus }),
  PartiesModule,
  InvitesModule,
  AuditModule,
];
