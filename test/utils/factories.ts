import { randomBytes } from 'node:crypto';
import { PasswordHasher, TokensService, User, type TokenPair } from '#porch/accounts';
import type { TestApp } from './test-app.js';

let hashed: Promise<string> | undefined;
/** Every factory user's password (hashed once per test file: argon2 is deliberately slow). */
export const FACTORY_PASSWORD = 'correct-horse-battery-staple';

export interface UserOverrides extends Partial<Omit<User, 'id' | 'password'>> {
  password?: string;
}

/** Inserts a user; the email is unique per call unless given. */
export async function createUser(t: TestApp, overrides: UserOverrides = {}): Promise<User> {
  const { password, ...fields } = overrides;
  const hasher = t.app.get(PasswordHasher);
  const hash = password
    ? await hasher.hash(password)
    : await (hashed ??= hasher.hash(FACTORY_PASSWORD));
  const suffix = randomBytes(4).toString('hex');
  const em = t.em();
  const user = new User(
    fields.email ?? `user-${suffix}@example.test`,
    fields.name ?? `User ${suffix}`,
    hash,
  );
  Object.assign(user, fields, { email: user.email });
  await em.persistAndFlush(user);
  return user;
}

/** A token pair for the user, as the login endpoint would issue it. */
export function issueTokens(t: TestApp, user: Pick<User, 'id'>): Promise<TokenPair> {
  return t.app.get(TokensService).issue(user.id);
}

/** `Authorization` header value for the user. */
export async function bearer(t: TestApp, user: Pick<User, 'id'>): Promise<string> {
  return `Bearer ${(await issueTokens(t, user)).access_token}`;
}
