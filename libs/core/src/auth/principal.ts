/** Who is calling: what the bearer-token check yields and guards, services and throttling use. */
export interface Principal {
  id: string;
  email: string;
  isStaff: boolean;
  isSuperuser: boolean;
  /** The token family of the presented access token (logout revokes it). */
  tokenFamily?: string;
}

/**
 * Turns a bearer token into a Principal, or null when the token is unknown, expired, revoked,
 * or its user is inactive or deleted. The accounts module provides the implementation.
 */
export abstract class Authenticator {
  abstract authenticate(token: string): Promise<Principal | null>;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: Principal;
  }
}
