import { consentingMember } from '#porch/tasks';
import {
  byKey,
  defineExport,
  during,
  ofUsers,
  type Condition,
  type ExportFilters,
} from '../export-definition.js';

/**
 * `userIds` and `groupId` narrow to those learners (a group: its owner and the members who
 * accepted — an invitee's data is not the group's until they agree, not even in exports).
 */
const learners = (column: string, f: ExportFilters): Condition[] => [
  ofUsers(column, f),
  f.groupId && [
    `exists (select 1 from groups g where g.id = ? and ${consentingMember('g', column)})`,
    f.groupId,
  ],
];

export const devicesExport = defineExport({
  name: 'devices',
  filters: ['userIds', 'groupId', 'since', 'until'],
  columns: ['id', 'userId', 'platform', 'model', 'osVersion', 'details', 'createdAt'],
  sql: (f) =>
    byKey(
      `select d.id, d.user_id as "userId", d.platform, d.model, d.os_version as "osVersion",
              d.details::text as details, d.created_at as "createdAt"
         from devices d join users u on u.id = d.user_id`,
      'd.id',
      f,
      ['u.deleted_at is null', ...learners('d.user_id', f), ...during('d.created_at', f)],
    ),
});

export const sessionsExport = defineExport({
  name: 'sessions',
  filters: ['userIds', 'groupId', 'since', 'until'],
  columns: [
    'id',
    'userId',
    'deviceId',
    'startedAt',
    'endedAt',
    'durationMs',
    'appVersion',
    'createdAt',
  ],
  sql: (f) =>
    byKey(
      `select s.id, s.user_id as "userId", s.device_id as "deviceId", s.started_at as "startedAt",
              s.ended_at as "endedAt", s.duration_ms as "durationMs", s.app_version as "appVersion",
              s.created_at as "createdAt"
         from sessions s join users u on u.id = s.user_id`,
      's.id',
      f,
      ['u.deleted_at is null', ...learners('s.user_id', f), ...during('s.started_at', f)],
    ),
});

export const tasksExport = defineExport({
  name: 'tasks',
  filters: ['userIds', 'groupId', 'since', 'until'],
  columns: [
    'id',
    'sessionId',
    'userId',
    'position',
    'firstNumber',
    'secondNumber',
    'operator',
    'userAnswer',
    'answeredAt',
    'answerMs',
    'visualHelp',
    'isCorrect',
    'createdAt',
  ],
  sql: (f) =>
    byKey(
      `select t.id, t.session_id as "sessionId", t.user_id as "userId", t.position, t.first_number as "firstNumber",
              t.second_number as "secondNumber", t.operator, t.user_answer as "userAnswer",
              t.answered_at as "answeredAt", t.answer_ms as "answerMs", t.visual_help as "visualHelp",
              t.is_correct as "isCorrect", t.created_at as "createdAt"
         from tasks t join users u on u.id = t.user_id`,
      't.id',
      f,
      ['u.deleted_at is null', ...learners('t.user_id', f), ...during('t.created_at', f)],
    ),
});

export const keypressesExport = defineExport({
  name: 'keypresses',
  filters: ['userIds', 'groupId', 'since', 'until'],
  columns: ['id', 'sessionId', 'userId', 'key', 'at'],
  sql: (f) =>
    byKey(
      `select k.id, k.session_id as "sessionId", s.user_id as "userId", k.key, k.at
         from keypresses k join sessions s on s.id = k.session_id join users u on u.id = s.user_id`,
      'k.id',
      f,
      ['u.deleted_at is null', ...learners('s.user_id', f), ...during('k.at', f)],
    ),
});

export const groupsExport = defineExport({
  name: 'groups',
  filters: ['userIds', 'groupId', 'since', 'until'],
  columns: ['id', 'ownerId', 'name', 'memberIds', 'createdAt'],
  sql: (f) =>
    byKey(
      `select g.id, g.owner_id as "ownerId", g.name,
              (select string_agg(m.user_id::text, ' ' order by m.user_id) from group_members m
                where m.group_id = g.id and m.status = 'accepted') as "memberIds",
              g.created_at as "createdAt"
         from groups g`,
      'g.id',
      f,
      [
        ofUsers('g.owner_id', f),
        f.groupId && ['g.id = ?', f.groupId],
        ...during('g.created_at', f),
      ],
    ),
});
