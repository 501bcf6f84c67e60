import { Injectable } from '@nestjs/common';

/**
 * The per-request DataLoaders: each batches the lookups one GraphQL response needs (an invite's
 * party, a party's host…) into one SQL statement per kind and tick, and caches them for the
 * request only. `LoadersFactory.create()` runs once per request (in the context factory).
 */
export type Loaders = Record<string, never>;

@Injectable()
export class LoadersFactory {
  create(): Loaders {
    return {};
  }
}
