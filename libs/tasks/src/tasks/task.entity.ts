import {
  Check,
  Entity,
  EntityRepositoryType,
  Enum,
  Index,
  ManyToOne,
  Opt,
  Property,
  Unique,
  type Rel,
} from '@mikro-orm/core';
import { User } from '#porch/accounts';
import { BaseEntity } from '#porch/core';
import { Session } from '../sessions/session.entity.js';
import { isCorrectAnswer, OPERATORS, type Operator } from './operator.js';
import { TasksRepository } from './tasks.repository.js';

/**
 * One arithmetic task of a session, shown as `firstNumber operator ? = secondNumber`.
 * `user` repeats the session's user so a learner's tasks are read through one index.
 * `position` is the task's index in the uploaded list (its order on screen).
 */
@Entity({ tableName: 'tasks', repository: () => TasksRepository })
@Unique({ name: 'tasks_session_position_unique', properties: ['session', 'position'] })
@Index({ name: 'tasks_user_created_index', properties: ['user', 'createdAt'] })
@Index({ name: 'tasks_user_answered_index', properties: ['user', 'answeredAt'] })
@Check({
  name: 'tasks_correct_iff_answered',
  expression: '(user_answer is null) = (is_correct is null)',
})
@Check({
  name: 'tasks_answer_time',
  expression:
    '(answered_at is null and answer_ms is null) or (answered_at is not null and answer_ms >= 0)',
})
export class Task extends BaseEntity {
  [EntityRepositoryType]?: TasksRepository;

  @ManyToOne(() => Session, { deleteRule: 'cascade' })
  session: Rel<Session>;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  @Property({ type: 'smallint' })
  position: number;

  @Property({ type: 'integer' })
  firstNumber: number;

  @Property({ type: 'integer' })
  secondNumber: number;

  @Enum({ items: () => OPERATORS as Operator[] })
  operator: Operator;

  @Property({ type: 'integer', nullable: true })
  userAnswer?: number | null;

  @Property({ type: 'timestamptz', nullable: true })
  answeredAt?: Date | null;

  /**
   * Time spent on the task, derived at upload: `answeredAt` minus the previous `answeredAt` in
   * the session (tasks ordered by `answeredAt`), or minus the session's `startedAt` for the
   * first. Null without `answeredAt`. Stored, since a session's tasks never change after upload.
   */
  @Property({ type: 'integer', nullable: true })
  answerMs?: number | null;

  @Property({ type: 'boolean', default: false })
  visualHelp: boolean & Opt = false;

  /** Derived on the server from the numbers and the answer; null while unanswered. */
  @Property({ type: 'boolean', nullable: true })
  isCorrect?: boolean | null;

  constructor(
    session: Rel<Session>,
    user: Rel<User>,
    position: number,
    firstNumber: number,
    operator: Operator,
    secondNumber: number,
    userAnswer: number | null = null,
  ) {
    super();
    this.session = session;
    this.user = user;
    this.position = position;
    this.firstNumber = firstNumber;
    this.operator = operator;
    this.secondNumber = secondNumber;
    this.userAnswer = userAnswer;
    this.isCorrect = isCorrectAnswer(firstNumber, operator, secondNumber, userAnswer);
  }
}
