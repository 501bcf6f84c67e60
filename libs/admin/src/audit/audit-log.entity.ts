import { Entity, Enum, Index, ManyToOne, Opt, Property, type Rel } from '@mikro-orm/core';
import { User } from '#porch/accounts';
import { CreatedEntity } from '#porch/core';

export enum AuditAction {
  Create = 'create',
  Update = 'update',
  Delete = 'delete',
  Restore = 'restore',
}

/** One field's change; secrets appear as `[redacted]`, never with their value. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

export type AuditChanges = Record<string, FieldChange>;

/**
 * What an administrator changed through the panel (Django's LogEntry). Append-only: the panel
 * shows it read-only. `actorEmail` is copied so an entry still names its author when the user is
 * gone; `recordId` is text so any primary key fits.
 */
@Entity({ tableName: 'audit_logs' })
@Index({ name: 'audit_logs_record_index', properties: ['resource', 'recordId'] })
@Index({ name: 'audit_logs_created_at_index', properties: ['createdAt'] })
export class AuditLog extends CreatedEntity {
  @ManyToOne(() => User, {
    nullable: true,
    deleteRule: 'set null',
    index: 'audit_logs_actor_index',
  })
  actor?: Rel<User> | null;

  @Property({ type: 'varchar', length: 254 })
  actorEmail: string;

  @Enum({ items: () => AuditAction })
  action: AuditAction;

  /** The admin resource id, e.g. `User`. */
  @Property({ type: 'varchar', length: 100 })
  resource: string;

  @Property({ type: 'varchar', length: 100 })
  recordId: string;

  @Property({ type: 'jsonb' })
  changes: AuditChanges & Opt = {};

  constructor(
    actor: Rel<User> | null,
    actorEmail: string,
    action: AuditAction,
    resource: string,
    recordId: string,
    changes: AuditChanges,
  ) {
    super();
    this.actor = actor;
    this.actorEmail = actorEmail;
    this.action = action;
    this.resource = resource;
    this.recordId = recordId;
    this.changes = changes;
  }
}
