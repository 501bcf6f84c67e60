import { consentingMember } from '#porch/tasks';
import {
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
  columns: {
    id: 'd.id',
    userId: 'd.user_id',
    platform: 'd.platform',
    model: 'd.model',
    osVersion: 'd.os_version',
    details: 'd.details::text',
    createdAt: 'd.created_at',
  },
  from: 'devices d join users u on u.id = d.user_id',
  key: 'd.id',
  where: (f) => ['u.deleted_at is null', ...learners('d.user_id', f), ...during('d.created_at', f)],
});

export const sessionsExport = defineExport({
  name: 'sessions',
  filters: ['userIds', 'groupId', 'since', 'until'],
  columns: {
    id: 's.id',
    userId: 's.user_id',
    deviceId: 's.device_id',
    startedAt: 's.started_at',
    endedAt: 's.ended_at',
    durationMs: 's.duration_ms',
    appVersion: 's.app_version',
    createdAt: 's.created_at',
  },
  from: 'sessions s join users u on u.id = s.user_id',
  key: 's.id',
  where: (f) => ['u.deleted_at is null', ...learners('s.user_id', f), ...during('s.started_at', f)],
});

export const tasksExport = defineExport({
  name: 'tasks',
  filters: ['userIds', 'groupId', 'since', 'until'],
  columns: {
    id: 't.id',
    sessionId: 't.session_id',
    userId: 't.user_id',
    position: 't.position',
    firstNumber: 't.first_number',
    secondNumber: 't.second_number',
    operator: 't.operator',
    userAnswer: 't.user_answer',
    answeredAt: 't.answered_at',
    answerMs: 't.answer_ms',
    visualHelp: 't.visual_help',
    isCorrect: 't.is_correct',
    createdAt: 't.created_at',
  },
  from: 'tasks t join users u on u.id = t.user_id',
  key: 't.id',
  where: (f) => ['u.deleted_at is null', ...learners('t.user_id', f), ...during('t.created_at', f)],
});

export const keypressesExport = defineExport({
  name: 'keypresses',
  filters: ['userIds', 'groupId', 'since', 'until'],
  columns: {
    id: 'k.id',
    sessionId: 'k.session_id',
    userId: 's.user_id',
    key: 'k.key',
    at: 'k.at',
  },
  from: 'keypresses k join sessions s on s.id = k.session_id join users u on u.id = s.user_id',
  key: 'k.id',
  where: (f) => ['u.deleted_at is null', ...learners('s.user_id', f), ...during('k.at', f)],
});

export const groupsExport = defineExport({
  name: 'groups',
  filters: ['userIds', 'groupId', 'since', 'until'],
  columns: {
    id: 'g.id',
    ownerId: 'g.owner_id',
    name: 'g.name',
    memberIds: `(select string_agg(m.user_id::text, ' ' order by m.user_id) from group_members m
                  where m.group_id = g.id and m.status = 'accepted')`,
    createdAt: 'g.created_at',
  },
  from: 'groups g',
  key: 'g.id',
  where: (f) => [
    ofUsers('g.owner_id', f),
    f.groupId && ['g.id = ?', f.groupId],
    ...during('g.created_at', f),
  ],
});
