import { Injectable } from '@nestjs/common';
import { Authenticator, type Principal } from '#porch/core';
import { TokensService } from './tokens.service.js';

/** Plugs the accounts tokens into core's AccessGuard. */
@Injectable()
export class BearerAuthenticator extends Authenticator {
  constructor(private readonly tokens: TokensService) {
    super();
  }

  authenticate(token: string): Promise<Principal | null> {
    return this.tokens.authenticate(token);
  }
}
