import { AuthToken, emailProblem, normalizeEmail, PasswordResetCode, User } from '#porch/accounts';
import { ValidationError, type ActionRequest } from 'adminjs';
import type { AdminResourceDefinition } from './resource-definition.js';

/**
 * Emails are stored NFKC-normalized and lower-cased: normalize what the form sends, and refuse
 * what the API refuses at sign-up (mixed scripts, look-alike letters).
 */
const normalizeEmailField = async (request: ActionRequest): Promise<ActionRequest> => {
  const payload = { ...request.payload };
  if (request.method !== 'post') return request;
  for (const field of ['email', 'teacherEmail']) {
    const value = payload[field];
    if (typeof value !== 'string' || !value) continue;
    payload[field] = normalizeEmail(value);
    const problem = emailProblem(payload[field] as string);
    if (problem) throw new ValidationError({ [field]: { message: `refused: ${problem}` } });
  }
  return { ...request, payload };
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
