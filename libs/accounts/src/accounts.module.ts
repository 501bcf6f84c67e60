import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { Authenticator } from '#porch/core';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { LocalStrategy } from './auth/local.strategy.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { PasswordResetCode } from './password-reset/password-reset-code.entity.js';
import { PasswordResetService } from './password-reset/password-reset.service.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { PasswordPolicy } from './passwords/password-validators.js';
import { AuthToken } from './tokens/auth-token.entity.js';
import { BearerAuthenticator } from './tokens/bearer.authenticator.js';
import { TokensService } from './tokens/tokens.service.js';
import { AccountsAccess } from './users/accounts-access.service.js';
import { HostingStatus, NoHosting } from './users/hosting-status.js';
import { User } from './users/user.entity.js';
import { UsersController } from './users/users.controller.js';
import { UsersService } from './users/users.service.js';

/** Users, authentication and tokens. Global: every module may need the caller's User. */
@Global()
@Module({
  imports: [
    MikroOrmModule.forFeature([User, AuthToken, PasswordResetCode]),
    PassportModule.register({ session: false }),
  ],
  controllers: [AuthController, UsersController],
  providers: [
    PasswordHasher,
    PasswordPolicy,
    TokensService,
    LoginThrottle,
    AuthService,
    LocalStrategy,
    UsersService,
    PasswordResetService,
    AccountsAccess,
    // The parties module knows who hosts; the integrator swaps its implementation in here.
    { provide: HostingStatus, useClass: NoHosting },
    { provide: Authenticator, useClass: BearerAuthenticator },
  ],
  exports: [
    PasswordHasher,
    PasswordPolicy,
    TokensService,
    UsersService,
    AccountsAccess,
    HostingStatus,
    Authenticator,
    MikroOrmModule,
  ],
})
export class AccountsModule {}
