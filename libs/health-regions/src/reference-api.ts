import { applyDecorators, Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HttpCacheable, Public, WithoutRequestContext } from '#porch/core';

/**
 * A controller of the reference data at `path`: public, answered with ETags (304), from the
 * in-memory catalog (no request EntityManager: `WithoutRequestContext`).
 */
export const ReferenceController = (path: string) =>
  applyDecorators(
    ApiTags('health-regions'),
    Public(),
    HttpCacheable(),
    WithoutRequestContext(path),
    Controller(path),
  );
