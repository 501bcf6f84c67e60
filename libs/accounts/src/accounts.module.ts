import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DynamicModule, Global, Module, type Type } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { Authenticator } from '#porch/core';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { LocalStrategy } from './auth/local.strategy.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { EmailVerificationCode } from './email-verification/email-verification-code.entity.js';
import { EmailVerificationService } from './email-verification/email-verification.service.js';
import { PasswordResetCode } from './password-reset/password-reset-code.entity.js';
import { PasswordResetService } from './password-reset/password-reset.service.js';
import { AccountsDemoData } from './accounts.demo.js';
import { AccountsSeeder } from './accounts.seeder.js';
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
    MikroOrmModule.forFeature([User, AuthToken, PasswordResetCode, EmailVerificationCode]),
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
    EmailVerificationService,
    AccountsAccess,
    { provide: Authenticator, useClass: BearerAuthenticator },
    AccountsSeeder,
    AccountsDemoData,
  ],
  exports: [
    AuthService,
    PasswordResetService,
    PasswordHasher,
    PasswordPolicy,
    LoginThrottle,
    TokensService,
    UsersService,
    Authenticator,
    MikroOrmModule,
  ],
})
export class AccountsModule {
  /**
   * `hostingStatus`: who hosts right now (for the derived `role`). Accounts only asks; the
   * parties module answers, and the app composition wires the two, so accounts never imports parties.
   */
  static forRoot(options: { hostingStatus?: Type<HostingStatus> } = {}): DynamicModule {
    return {
      module: AccountsModule,
      providers: [{ provide: HostingStatus, useClass: options.hostingStatus ?? NoHosting }],
      exports: [HostingStatus],
    };
  }
}
