import { Device, Group, GroupMember, Keypress, Session, Task, type Operator } from '#porch/tasks';
import type { AdminResourceDefinition } from './resource-definition.js';

const minute = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const OPERATORS: Record<Operator, string> = { '+': '+', '-': '−', '*': '×', '/': '÷' };

/** The measurements app. Uploads are immutable records of what happened: read-only here. */
export const tasksResources: AdminResourceDefinition[] = [
  {
    entity: Session,
    navigation: 'Tasks',
    label: 'Sessions',
    titleProperty: (s) => `${(s as Session).user.name} · ${minute((s as Session).startedAt)}`,
    populate: ['user'],
    sortTitle: 'startedAt',
    searchFields: ['id', 'user.name', 'user.email', 'appVersion'],
    readOnly: true,
    listProperties: ['user', 'device', 'startedAt', 'durationMs', 'appVersion'],
    filterProperties: ['id', 'user', 'device', 'startedAt', 'appVersion'],
    showProperties: [
      'id',
      'user',
      'device',
      'startedAt',
      'endedAt',
      'durationMs',
      'appVersion',
      'createdAt',
    ],
    inlines: [
      { name: 'tasks', resource: 'Task', foreignKey: 'session' },
      { name: 'keypresses', resource: 'Keypress', foreignKey: 'session' },
    ],
    sort: { sortBy: 'startedAt', direction: 'desc' },
    secrets: ['bodyHash'],
    exportName: 'sessions',
  },
  {
    entity: Task,
    navigation: 'Tasks',
    label: 'Tasks',
    titleProperty: (t) => {
      const task = t as Task;
      return `${task.firstNumber} ${OPERATORS[task.operator] ?? task.operator} ? = ${task.secondNumber}`;
    },
    sortTitle: 'position',
    searchFields: ['user.name', 'user.email'],
    // The symbols as the app shows them; the stored values stay + - * /.
    choices: { operator: OPERATORS },
    readOnly: true,
    listProperties: [
      'session',
      'user',
      'firstNumber',
      'operator',
      'secondNumber',
      'userAnswer',
      'isCorrect',
      'answeredAt',
    ],
    filterProperties: ['session', 'user', 'operator', 'isCorrect', 'visualHelp', 'answeredAt'],
    sort: { sortBy: 'answeredAt', direction: 'desc' },
    exportName: 'tasks',
  },
  {
    entity: Keypress,
    navigation: 'Tasks',
    label: 'Keypresses',
    titleProperty: (k) => `${(k as Keypress).key} at ${(k as Keypress).at.toISOString()}`,
    sortTitle: 'at',
    searchFields: ['key'],
    readOnly: true,
    listProperties: ['session', 'key', 'at'],
    filterProperties: ['session', 'key', 'at'],
    sort: { sortBy: 'at', direction: 'desc' },
    exportName: 'keypresses',
  },
  {
    entity: Device,
    navigation: 'Tasks',
    label: 'Devices',
    titleProperty: (d) =>
      `${(d as Device).model} (${(d as Device).platform} ${(d as Device).osVersion})`,
    sortTitle: 'model',
    searchFields: ['model', 'osVersion', 'user.name', 'user.email'],
    readOnly: true,
    listProperties: ['user', 'platform', 'model', 'osVersion', 'createdAt'],
    filterProperties: ['user', 'platform', 'model', 'osVersion'],
    choices: { platform: { android: 'Android', ios: 'iOS' } },
    exportName: 'devices',
  },
  {
    entity: Group,
    navigation: 'Tasks',
    label: 'Groups',
    titleProperty: 'name',
    searchFields: ['name', 'owner.name', 'owner.email'],
    listProperties: ['name', 'owner', 'createdAt'],
    filterProperties: ['name', 'owner', 'createdAt'],
    showProperties: ['id', 'name', 'owner', 'createdAt', 'updatedAt'],
    editProperties: ['name', 'owner'],
    inlines: [{ name: 'members', resource: 'GroupMember', foreignKey: 'group' }],
    exportName: 'groups',
    adapter: () => ({
      constraints: {
        groups_owner_name_unique: {
          property: 'name',
          message: 'This owner already has a group with this name.',
        },
      },
    }),
  },
  {
    entity: GroupMember,
    navigation: 'Tasks',
    label: 'Group members',
    titleProperty: (m) => `${(m as GroupMember).user.name} in ${(m as GroupMember).group.name}`,
    populate: ['user', 'group'],
    sortTitle: 'createdAt',
    searchFields: ['user.name', 'user.email', 'group.name'],
    // Consent is the member's to give (API: accept / join with the code): not set from here.
    listProperties: ['group', 'user', 'status', 'respondedAt', 'createdAt'],
    filterProperties: ['group', 'user', 'status', 'createdAt'],
    editProperties: ['group', 'user'],
    adapter: () => ({
      constraints: {
        group_members_group_user_unique: {
          property: 'user',
          message: 'This user is already a member of this group.',
        },
      },
    }),
  },
];
