import { Entity, Enum, Index, ManyToOne, Opt, Property, Unique, type Rel } from '@mikro-orm/core';
import { User } from '#porch/accounts';
import { BaseEntity } from '#porch/core';
import { Group } from './group.entity.js';
import { MembershipStatus } from './membership-status.js';

export { MembershipStatus };

/**
 * A user's membership of a group (the owner needs none). Unique per (group, user). A declined
 * invitation stays, so the owner cannot invite the same person again and again; leaving or being
 * removed deletes the row.
 */
@Entity({ tableName: 'group_members' })
@Unique({ name: 'group_members_group_user_unique', properties: ['group', 'user'] })
@Index({ name: 'group_members_user_index', properties: ['user'] })
export class GroupMember extends BaseEntity {
  @ManyToOne(() => Group, { deleteRule: 'cascade' })
  group: Rel<Group>;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  @Enum({ items: () => MembershipStatus, default: MembershipStatus.Pending })
  status: MembershipStatus & Opt = MembershipStatus.Pending;

  /** When the member accepted (or joined with the code), or declined. */
  @Property({ type: 'timestamptz', nullable: true })
  respondedAt?: Date | null;

  constructor(group: Rel<Group>, user: Rel<User>) {
    super();
    this.group = group;
    this.user = user;
  }
}
