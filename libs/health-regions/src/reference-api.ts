import { applyDecorators, Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HttpCacheable, Public } from '#porch/core';

/** A controller of the reference data at `path`: public, and answered with ETags (304). */
export const ReferenceController = (path: string) =>
  applyDecorators(ApiTags('health-regions'), Public(), HttpCacheable(), Controller(path));
