import {
  Check,
  Entity,
  EntityRepositoryType,
  Index,
  ManyToOne,
  Opt,
  PrimaryKey,
  Property,
  type Rel,
} from '@mikro-orm/core';
import { User } from '#porch/accounts';
import { Device } from '../devices/device.entity.js';
import { SessionsRepository } from './sessions.repository.js';

/**
 * One sitting of a learner on a device. The id is chosen by the client (a UUID), which makes
 * uploads idempotent: a retry names the same id. `bodyHash` (SHA-256 of the canonical request
 * body) tells a retry from a different upload that reuses the id. Rows are written only by the
 * upload (`prepareUpload` derives `durationMs` and `bodyHash`), so the entity has no constructor.
 */
@Entity({ tableName: 'sessions', repository: () => SessionsRepository })
@Index({ name: 'sessions_user_started_index', properties: ['user', 'startedAt'] })
@Index({ name: 'sessions_device_index', properties: ['device'] })
@Check({ name: 'sessions_ended_after_started', expression: 'ended_at >= started_at' })
export class Session {
  [EntityRepositoryType]?: SessionsRepository;

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: Rel<User>;

  @ManyToOne(() => Device, { deleteRule: 'cascade' })
  device!: Rel<Device>;

  @Property({ type: 'timestamptz' })
  startedAt!: Date;

  @Property({ type: 'timestamptz' })
  endedAt!: Date;

  /** `endedAt − startedAt`, derived on the server. */
  @Property({ type: 'integer' })
  durationMs!: number;

  @Property({ type: 'varchar', length: 50 })
  appVersion!: string;

  /** SHA-256 (hex) of the canonical upload, for telling a retry from a conflicting upload. */
  @Property({ type: 'char', length: 64, hidden: true })
  bodyHash!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
