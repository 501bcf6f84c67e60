import { Entity, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { User } from '#porch/accounts';
import { BaseEntity } from '#porch/core';

/**
 * The measurements app's "synchronization": learners who see each other's tasks. The owner
 * counts as a member without a membership row; others join through `GroupMember`.
 */
@Entity({ tableName: 'groups' })
@Unique({ name: 'groups_owner_name_unique', properties: ['owner', 'name'] })
export class Group extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  owner: Rel<User>;

  @Property({ type: 'varchar', length: 100 })
  name: string;

  constructor(owner: Rel<User>, name: string) {
    super();
    this.owner = owner;
    this.name = name;
  }
}
