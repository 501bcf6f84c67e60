import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '#porch/core';
import { Session } from '../sessions/session.entity.js';

/** A key the learner pressed during a session (digits, backspace, "help", …). */
@Entity({ tableName: 'keypresses' })
@Index({ name: 'keypresses_session_at_index', properties: ['session', 'at'] })
export class Keypress extends BaseEntity {
  @ManyToOne(() => Session, { deleteRule: 'cascade' })
  session: Rel<Session>;

  @Property({ type: 'varchar', length: 16 })
  key: string;

  @Property({ type: 'timestamptz' })
  at: Date;

  constructor(session: Rel<Session>, key: string, at: Date) {
    super();
    this.session = session;
    this.key = key;
    this.at = at;
  }
}
