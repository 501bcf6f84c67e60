import { Device, Group, GroupMember, Keypress, Session, Task } from '#porch/tasks';
import type { AdminResourceDefinition } from './resource-definition.js';

/** The measurements app. Uploads are immutable records of what happened: read-only here. */
export const tasksResources: AdminResourceDefinition[] = [
  {
    entity: Session,
    navigation: 'Tasks',
    titleProperty: 'id',
    readOnly: true,
    listProperties: ['user', 'device', 'startedAt', 'durationMs', 'appVersion'],
    filterProperties: ['id', 'user', 'device', 'startedAt', 'appVersion'],
    sort: { sortBy: 'startedAt', direction: 'desc' },
    secrets: ['bodyHash'],
    exportName: 'sessions',
  },
  {
    entity: Task,
    navigation: 'Tasks',
    titleProperty: 'id',
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
    filterProperties: ['session', 'user', 'operator', 'isCorrect', 'answeredAt'],
    exportName: 'tasks',
  },
  {
    entity: Keypress,
    navigation: 'Tasks',
    titleProperty: 'id',
    readOnly: true,
    listProperties: ['session', 'key', 'at'],
    filterProperties: ['session', 'key', 'at'],
    exportName: 'keypresses',
  },
  {
    entity: Device,
    navigation: 'Tasks',
    titleProperty: 'model',
    readOnly: true,
    listProperties: ['user', 'platform', 'model', 'osVersion', 'createdAt'],
    filterProperties: ['user', 'platform', 'model'],
    exportName: 'devices',
  },
  {
    entity: Group,
    navigation: 'Tasks',
    titleProperty: 'name',
    listProperties: ['name', 'owner', 'createdAt'],
    filterProperties: ['name', 'owner'],
    editProperties: ['name', 'owner'],
    exportName: 'groups',
  },
  {
    entity: GroupMember,
    navigation: 'Tasks',
    titleProperty: 'id',
    // Consent is the member's to give (API: accept / join with the code): not set from here.
    listProperties: ['group', 'user', 'status', 'respondedAt', 'createdAt'],
    filterProperties: ['group', 'user', 'status'],
    editProperties: ['group', 'user'],
  },
];
