import {
  Entity,
  EntityRepositoryType,
  ManyToOne,
  Property,
  Unique,
  type Rel,
} from '@mikro-orm/core';
import { User } from '#porch/accounts';
import { BaseEntity, Secret } from '#porch/core';
import { GroupsRepository } from './groups.repository.js';

/**
 * The measurements app's "synchronization": learners who see each other's tasks. The owner
 * counts as a member without a membership row; others join through `GroupMember`, by accepting
 * the owner's invitation or with the group's join code.
 */
@Entity({ tableName: 'groups', repository: () => GroupsRepository })
@Unique({ name: 'groups_owner_name_unique', properties: ['owner', 'name'] })
export class Group extends BaseEntity {
  [EntityRepositoryType]?: GroupsRepository;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  owner: Rel<User>;

  @Property({ type: 'varchar', length: 100 })
  name: string;

  /**
   * What the owner shares so that others can join without an invitation (`newJoinCode`). Null:
   * joining by code is off. Shown to the owner only; a secret for `dumpdata`.
   */
  @Property({ type: 'varchar', length: 16, nullable: true, hidden: true })
  @Secret()
  joinCode?: string | null;

  constructor(owner: Rel<User>, name: string) {
    super();
    this.owner = owner;
    this.name = name;
  }
}
