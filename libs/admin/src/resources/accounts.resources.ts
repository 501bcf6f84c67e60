import { AuthToken, normalizeEmail, PasswordResetCode, User } from '#porch/accounts';
import type { ActionRequest } from 'adminjs';
import type { AdminResourceDefinition } from './resource-definition.js';

/** Emails are stored lower-cased (a check constraint holds it): normalize what the form sends. */
const normalizeEmailField = async (request: ActionRequest): Promise<ActionRequest> => {
  const email = request.payload?.email;
  if (request.method !== 'post' || typeof email !== 'string') return request;
  return { ...request, payload: { ...request.payload, email: normalizeEmail(email) } };
};

export const accountsResources: AdminResourceDefinition[] = [
  {
    entity: User,
    navigation: 'Accounts',
    titleProperty: 'email',
    listProperties: [
      'email',
      'name',
      'isStaff',
      'isSuperuser',
      'isActive',
      'deletedAt',
      'createdAt',
    ],
    filterProperties: [
      'id',
      'email',
      'name',
      'isStaff',
      'isSuperuser',
      'isActive',
      'department',
      'createdAt',
      'deletedAt',
    ],
    showProperties: [
      'id',
      'email',
      'name',
      'birthdate',
      'gender',
      'department',
      'teacherEmail',
      'photoType',
      'isStaff',
      'isSuperuser',
      'isActive',
      'lastLoginAt',
      'createdAt',
      'updatedAt',
      'deletedAt',
    ],
    editProperties: [
      'email',
      'name',
      'newPassword',
      'birthdate',
      'gender',
      'department',
      'teacherEmail',
      'isStaff',
      'isSuperuser',
      'isActive',
    ],
    sort: { sortBy: 'createdAt', direction: 'desc' },
    secrets: ['photo'],
    passwordProperty: 'password',
    // users_deleted_is_inactive: a deleted user is never active.
    onSoftDelete: { isActive: false },
    exportName: 'users',
    options: () => ({
      actions: {
        new: { before: normalizeEmailField },
        edit: { before: normalizeEmailField },
      },
    }),
  },
  {
    entity: AuthToken,
    navigation: 'Accounts',
    titleProperty: 'id',
    readOnly: true,
    listProperties: ['user', 'kind', 'family', 'expiresAt', 'usedAt', 'revokedAt', 'createdAt'],
    filterProperties: ['user', 'kind', 'family', 'expiresAt', 'revokedAt', 'createdAt'],
    showProperties: [
      'id',
      'user',
      'kind',
      'family',
      'expiresAt',
      'usedAt',
      'revokedAt',
      'createdAt',
    ],
    sort: { sortBy: 'createdAt', direction: 'desc' },
    secrets: ['tokenHash'],
  },
  {
    entity: PasswordResetCode,
    navigation: 'Accounts',
    titleProperty: 'id',
    readOnly: true,
    listProperties: ['user', 'expiresAt', 'attempts', 'usedAt', 'createdAt'],
    filterProperties: ['user', 'expiresAt', 'usedAt', 'createdAt'],
    showProperties: ['id', 'user', 'expiresAt', 'attempts', 'usedAt', 'createdAt'],
    sort: { sortBy: 'createdAt', direction: 'desc' },
    secrets: ['codeHash', 'salt'],
  },
];
