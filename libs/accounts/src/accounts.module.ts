import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module } from '@nestjs/common';
import { Authenticator } from '#porch/core';
import { AccountsDemoData } from './accounts.demo.js';
import { AccountsSeeder } from './accounts.seeder.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { AuthToken } from './tokens/auth-token.entity.js';
import { BearerAuthenticator } from './tokens/bearer.authenticator.js';
import { TokensService } from './tokens/tokens.service.js';
import { User } from './users/user.entity.js';

/** Users, authentication and tokens. Global: every module may need the caller's User. */
@Global()
@Module({
  imports: [MikroOrmModule.forFeature([User, AuthToken])],
  providers: [
    PasswordHasher,
    TokensService,
    { provide: Authenticator, useClass: BearerAuthenticator },
    AccountsSeeder,
    AccountsDemoData,
  ],
  exports: [PasswordHasher, TokensService, Authenticator, MikroOrmModule],
})
export class AccountsModule {}
