import { Injectable } from '@nestjs/common';
import { AppConfig, ForbiddenProblem, type Principal } from '#porch/core';
import { EmailVerificationService } from '../email-verification/email-verification.service.js';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { TokensService, type TokenPair } from '../tokens/tokens.service.js';
import type { MeProfileDto } from '../users/dto/user-response.dto.js';
import { readPhoto } from '../users/photos.js';
import { normalizeEmail } from '../users/emails.js';
import { UsersRepository } from '../users/users.repository.js';
import { UsersService } from '../users/users.service.js';
import type { SignupDto } from './dto/signup.dto.js';
import { LoginThrottle } from './login-throttle.js';
import { OAuthError } from './oauth-error.js';

const UNVERIFIED_DESCRIPTION =
  'The email address is not verified yet: enter the code emailed to it ' +
  '(POST /api/v1/auth/verify-email), or ask for a new one (POST /api/v1/auth/verify-email/resend)';

/** `/auth/login` for a right password on an account whose email is not verified yet. */
export const emailNotVerified = () =>
  new ForbiddenProblem(UNVERIFIED_DESCRIPTION, {
    errors: [{ field: 'email', message: 'email is not verified' }],
  });

/** Parameters of a token or revocation request, form-encoded or JSON, not yet checked. */
export type OAuthParams = Record<string, unknown> | undefined;

/**
 * Sign-up, login, the OAuth2 token and revocation endpoints, logout. Unknown email, wrong
 * password, inactive and deleted user all get the same answer after the same work.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly userRepository: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokensService,
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
    private readonly config: AppConfig,
    private readonly verification: EmailVerificationService,
  ) {}

  async signup(
    input: SignupDto,
    file: { buffer: Buffer } | undefined,
    origin: string,
  ): Promise<{ user: MeProfileDto; token: TokenPair | null }> {
    const { photo: photoText, ...fields } = input;
    const photo = readPhoto(file, photoText);
    const user = await this.users.create({ ...fields, photo });
    this.verification.send(user.id, user.email);
    // A new account is unverified: no token until the emailed code is entered, if that is required.
    if (this.config.REQUIRE_VERIFIED_EMAIL)
      return { user: await this.users.toMe(user, origin), token: null };
    const token = await this.tokens.issue(user.id);
    user.lastLoginAt = await this.users.recordLogin(user.id);
    return { user: await this.users.toMe(user, origin), token };
  }

  /**
   * The user id when the credentials are right and the user is active and not deleted, else
   * null. Throttled per (email, IP) before any password is checked (429). With
   * REQUIRE_VERIFIED_EMAIL, a right password on an unverified account is refused with
   * `unverified()` (only then: the answer tells nothing to whoever does not know the password).
   */
  async verifyCredentials(
    email: string,
    password: string,
    ip: string | undefined,
    unverified: () => Error,
  ): Promise<string | null> {
    const key = this.throttle.key(email, ip);
    await this.throttle.attempt(key);
    const user = await this.userRepository.findWithPassword(normalizeEmail(email));
    // Verified even for an unknown email (against a decoy hash), so both take the same time.
    const ok = await this.hasher.verify(user?.password, password);
    if (!ok || !user || !user.isActive) return null;
    await this.throttle.succeeded(key);
    if (this.config.REQUIRE_VERIFIED_EMAIL && !user.emailVerifiedAt) throw unverified();
    return user.id;
  }

  /** A new token family for a user who just proved their password. */
  async login(userId: string): Promise<TokenPair> {
    const pair = await this.tokens.issue(userId);
    await this.users.recordLogin(userId);
    return pair;
  }

  /** RFC 6749 token endpoint: `password` (§4.3) and `refresh_token` (§6) grants. */
  async token(params: OAuthParams, ip: string | undefined): Promise<TokenPair> {
    const grantType = param(params, 'grant_type');
    if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
    if (grantType === 'password') {
      const username = param(params, 'username');
      const password = param(params, 'password');
      if (!username || !password)
        throw new OAuthError('invalid_request', 'username and password are required');
      const userId = await this.verifyCredentials(
        username,
        password,
        ip,
        () => new OAuthError('invalid_grant', UNVERIFIED_DESCRIPTION),
      );
      if (!userId) throw new OAuthError('invalid_grant', 'Invalid email or password');
      return this.login(userId);
    }
    if (grantType === 'refresh_token') {
      const refreshToken = param(params, 'refresh_token');
      if (!refreshToken) throw new OAuthError('invalid_request', 'refresh_token is required');
      const outcome = await this.tokens.rotate(refreshToken);
      if (!outcome.ok && outcome.reason === 'unverified')
        throw new OAuthError('invalid_grant', UNVERIFIED_DESCRIPTION);
      if (!outcome.ok)
        throw new OAuthError(
          'invalid_grant',
          'The refresh token is invalid, expired, revoked or already used',
        );
      return outcome.pair;
    }
    throw new OAuthError('unsupported_grant_type', 'grant_type must be password or refresh_token');
  }

  /**
   * RFC 7009: revokes an access token, or a refresh token with its whole family. An unknown or
   * already revoked token is not an error (the client's goal is reached either way).
   */
  async revoke(params: OAuthParams): Promise<void> {
    const token = param(params, 'token');
    param(params, 'token_type_hint'); // only checked for shape: every type is searched anyway
    if (!token) throw new OAuthError('invalid_request', 'token is required');
    await this.tokens.revoke(token);
  }

  /** Signs the caller out of this login: the token family of the presented access token. */
  async logout(principal: Principal): Promise<void> {
    if (principal.tokenFamily) await this.tokens.revokeFamily(principal.tokenFamily);
  }
}

/** One request parameter: absent or empty → undefined; repeated or not a string → 400. */
function param(params: OAuthParams, name: string): string | undefined {
  const value = params?.[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new OAuthError('invalid_request', `${name} must be given once, as a string`);
  return value;
}
