import { MikroORM, RequestContext } from '@mikro-orm/core';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import type { PorchGraphqlOptions } from './graphql.options.js';

/** One file part at most, a little over a photo's size (the service checks type and size). */
export const UPLOAD_LIMITS = { maxFileSize: 5 * 1024 * 1024, maxFiles: 1 };

/**
 * Apollo's Express driver with what REST routes get from their Nest middleware, mounted on the
 * GraphQL path after the app's own (request log, helmet, JSON parser) and before Apollo:
 *
 * - a MikroORM request context per request (as the database module's middleware for REST);
 * - the GraphQL multipart request spec (file uploads). A multipart request without a non-simple
 *   header (`apollo-require-preflight` or `x-apollo-operation-name`) is left unread: Apollo's
 *   CSRF prevention then refuses it, before any byte of a file is read.
 */
@Injectable()
export class PorchApolloDriver extends ApolloDriver {
  constructor(
    modulesContainer: ModulesContainer,
    private readonly orm: MikroORM,
  ) {
    super(modulesContainer);
  }

  protected override async registerExpress(
    options: ApolloDriverConfig,
    hooks?: { preStartHook?: () => void },
  ): Promise<void> {
    // GraphiQL (GET /graphql from a browser, GRAPHQL_EXPLORER) first; anything else passes on.
    const { explorer, ...apollo } = options as PorchGraphqlOptions;
    if (explorer) this.httpAdapterHost.httpAdapter.use(options.path ?? '/graphql', explorer);
    const uploads = graphqlUploadExpress(UPLOAD_LIMITS);
    this.httpAdapterHost.httpAdapter.use(
      options.path ?? '/graphql',
      (req: Request, res: Response, next: NextFunction) =>
        RequestContext.create(this.orm.em, () =>
          // The headers first: a plain JSON query then costs no Content-Type parse here.
          (req.get('apollo-require-preflight') || req.get('x-apollo-operation-name')) &&
          req.is('multipart/form-data')
            ? uploads(req, res, next)
            : next(),
        ),
    );
    return super.registerExpress(apollo, hooks);
  }
}
