import {
  Entity,
  EntityRepositoryType,
  Enum,
  Index,
  ManyToOne,
  Property,
  type Rel,
} from '@mikro-orm/core';
import { CreatedEntity, Secret } from '#porch/core';
import { User } from '../users/user.entity.js';
import { TokensRepository } from './tokens.repository.js';

export enum TokenKind {
  Access = 'access',
  Refresh = 'refresh',
}

/**
 * An opaque bearer token, stored only as its SHA-256. Tokens issued from one login share a
 * `family`: rotating a refresh token stays in the family, and reusing a spent refresh token
 * revokes the whole family (reuse detection). Not soft-deletable: revocation is the state.
 */
@Entity({ tableName: 'auth_tokens', repository: () => TokensRepository })
@Secret()
@Index({ name: 'auth_tokens_user_index', properties: ['user'] })
@Index({ name: 'auth_tokens_family_index', properties: ['family'] })
// The sweep of expired tokens (AUTH_TOKENS_SWEEP).
@Index({ name: 'auth_tokens_expires_at_index', properties: ['expiresAt'] })
export class AuthToken extends CreatedEntity {
  [EntityRepositoryType]?: TokensRepository;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: Rel<User>;

  @Property({ type: 'uuid' })
  family!: string;

  @Enum({ items: () => TokenKind })
  kind!: TokenKind;

  /** SHA-256 of the token, hex. The token itself is never stored. */
  @Property({ type: 'char', length: 64, unique: 'auth_tokens_hash_unique' })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  /** Refresh tokens: when it was exchanged for a new pair (a second use is reuse). */
  @Property({ type: 'timestamptz', nullable: true })
  usedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  constructor(fields: Pick<AuthToken, 'user' | 'family' | 'kind' | 'tokenHash' | 'expiresAt'>) {
    super();
    Object.assign(this, fields);
  }
}
