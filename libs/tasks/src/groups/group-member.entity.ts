import { Entity, Index, ManyToOne, Unique, type Rel } from '@mikro-orm/core';
import { User } from '#porch/accounts';
import { BaseEntity } from '#porch/core';
import { Group } from './group.entity.js';

/** A user's membership of a group (the owner needs none). Unique per (group, user). */
@Entity({ tableName: 'group_members' })
@Unique({ name: 'group_members_group_user_unique', properties: ['group', 'user'] })
@Index({ name: 'group_members_user_index', properties: ['user'] })
export class GroupMember extends BaseEntity {
  @ManyToOne(() => Group, { deleteRule: 'cascade' })
  group: Rel<Group>;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  constructor(group: Rel<Group>, user: Rel<User>) {
    super();
    this.group = group;
    this.user = user;
  }
}
