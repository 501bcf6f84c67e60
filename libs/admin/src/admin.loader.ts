import { AbstractLoader, type AdminModuleOptions } from '@adminjs/nestjs';
import { Injectable } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type AdminJS from 'adminjs';
import type { Application } from 'express';

/**
 * Mounts the AdminJS router where the module says, unlike @adminjs/nestjs's ExpressLoader, which
 * moves it ahead of every middleware (helmet included). Porch's JSON/form parsers skip `/admin`
 * already, so AdminJS's formidable gets untouched bodies without any reordering.
 */
@Injectable()
export class PorchAdminLoader extends AbstractLoader {
  override async register(
    admin: AdminJS,
    httpAdapter: AbstractHttpAdapter,
    options: AdminModuleOptions,
  ): Promise<void> {
    const { default: AdminJSExpress } = await import('@adminjs/express');
    const app = httpAdapter.getInstance<Application>();
    const router = options.auth
      ? AdminJSExpress.buildAuthenticatedRouter(
          admin,
          options.auth,
          undefined,
          options.sessionOptions,
          options.formidableOptions,
        )
      : AdminJSExpress.buildRouter(admin, undefined, options.formidableOptions);
    app.use(options.adminJsOptions.rootPath ?? '/admin', router);
  }
}
