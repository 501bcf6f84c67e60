import type { DynamicModule, Type } from '@nestjs/common';
import { AccountsModule } from '#porch/accounts';
import { TasksModule } from '#porch/tasks';

/**
 * The domain modules, in one list shared by the API and the manage CLI (so both know every entity).
 */
export const DOMAIN_MODULES: Array<Type<unknown> | DynamicModule> = [AccountsModule, TasksModule];
