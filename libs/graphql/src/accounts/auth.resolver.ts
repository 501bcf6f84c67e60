import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import {
  AuthService,
  emailNotVerified,
  invalidCredentials,
  OAuthError,
  PasswordResetService,
  type TokenPair,
} from '#porch/accounts';
import { Authenticated, ProblemException, Public } from '#porch/core';
import { originOf, principalOf, type GraphqlContext } from '../context.js';
import {
  LogInInput,
  PasswordResetConfirmInput,
  PasswordResetRequestInput,
  SignUpInput,
} from './accounts.inputs.js';
import { SignUpResultType, TokenPairType } from './user.types.js';

/** Sign-up, log-in, token refresh, log-out and password reset: AuthService's, as REST's. */
@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly passwordReset: PasswordResetService,
  ) {}

  @Mutation(() => SignUpResultType, {
    description: 'Sign up; a first token pair unless the email must be verified first',
  })
  @Public()
  signUp(
    @Args('input', { type: () => SignUpInput }) input: SignUpInput,
    @Context() ctx: GraphqlContext,
  ): Promise<SignUpResultType> {
    return this.auth.signup({ ...input }, undefined, originOf(ctx.req));
  }

  @Mutation(() => TokenPairType, {
    description: 'Log in with email and password (throttled per email and address, as REST)',
  })
  @Public()
  async logIn(
    @Args('input', { type: () => LogInInput }) input: LogInInput,
    @Context() ctx: GraphqlContext,
  ): Promise<TokenPair> {
    const userId = await this.auth.verifyCredentials(
      input.email,
      input.password,
      ctx.req.ip,
      emailNotVerified,
    );
    if (!userId) throw invalidCredentials();
    return this.auth.login(userId);
  }

  @Mutation(() => TokenPairType, {
    description: 'A new token pair for a refresh token (single use: reuse revokes its login)',
  })
  @Public()
  async refresh(@Args('refreshToken', { type: () => String }) refreshToken: string) {
    try {
      return await this.auth.token(
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        undefined,
      );
    } catch (e) {
      // OAuth2's error bodies are REST's (RFC 6749); here they are problems like the others.
      if (e instanceof OAuthError)
        throw new ProblemException(
          e.error === 'invalid_grant' ? 401 : 400,
          String(e.body.error_description),
          { error: e.error },
        );
      throw e;
    }
  }

  @Mutation(() => Boolean, {
    description: 'Log out: revokes the access token used and every token of its login',
  })
  @Authenticated()
  async logOut(@Context() ctx: GraphqlContext): Promise<boolean> {
    await this.auth.logout(principalOf(ctx));
    return true;
  }

  @Mutation(() => Boolean, {
    description: 'Ask for a password-reset code by email (true whether or not it has an account)',
  })
  @Public()
  async requestPasswordReset(
    @Args('input', { type: () => PasswordResetRequestInput }) input: PasswordResetRequestInput,
    @Context() ctx: GraphqlContext,
  ): Promise<boolean> {
    await this.passwordReset.request(input.email, ctx.req.ip);
    return true;
  }

  @Mutation(() => Boolean, {
    description: 'Set a new password with the emailed code; signs you out everywhere',
  })
  @Public()
  async confirmPasswordReset(
    @Args('input', { type: () => PasswordResetConfirmInput }) input: PasswordResetConfirmInput,
    @Context() ctx: GraphqlContext,
  ): Promise<boolean> {
    await this.passwordReset.confirm(input.email, input.code, input.newPassword, ctx.req.ip);
    return true;
  }
}
