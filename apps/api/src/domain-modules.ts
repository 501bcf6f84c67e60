import type { DynamicModule, Type } from '@nestjs/common';
import { HealthRegionsModule } from '#porch/health-regions';

/**
 * The domain modules, in one list shared by the API and the manage CLI (so both know every entity).
 */
export const DOMAIN_MODULES: Array<Type<unknown> | DynamicModule> = [HealthRegionsModule];
