import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { NextFunction, Request, Response } from 'express';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import type { PorchGraphqlOptions } from './graphql.options.js';

/** One file part at most, of a photo's size. */
export const UPLOAD_LIMITS = { maxFileSize: 5 * 1024 * 1024, maxFiles: 1 };

/**
 * Apollo's Express driver with the GraphQL multipart request spec in front of it (file uploads):
 * mounted on the GraphQL path after the app's own middleware (request log, helmet, JSON parser)
 * and before Apollo. A multipart request without a non-simple header (`apollo-require-preflight`
 * or `x-apollo-operation-name`) is left unread: Apollo's CSRF prevention then refuses it, before
 * any byte of a file is stored.
 */
export class PorchApolloDriver extends ApolloDriver {
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
        req.is('multipart/form-data') &&
        (req.get('apollo-require-preflight') || req.get('x-apollo-operation-name'))
          ? uploads(req, res, next)
          : next(),
    );
    return super.registerExpress(apollo, hooks);
  }
}
