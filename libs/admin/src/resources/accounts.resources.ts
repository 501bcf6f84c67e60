import type { EntityManager } from '@mikro-orm/postgresql';
import {
  AuthToken,
  emailProblem,
  normalizeEmail,
  PasswordResetCode,
  TokensService,
  User,
  UsersService,
} from '#porch/accounts';
import { ValidationError, type ActionRequest } from 'adminjs';
import { AuditAction } from '../audit/audit-log.entity.js';
import { serviceActions } from './actions.js';
import type { AdminResourceDefinition, AdminServices } from './resource-definition.js';

const DEPARTMENTS: Record<string, string> = {
  arts_humanities: 'Arts & humanities',
  business: 'Business',
  dentistry: 'Dentistry',
  engineering: 'Engineering',
  law: 'Law',
  medicine_life_sciences: 'Medicine & life sciences',
  natural_sciences: 'Natural sciences',
  nursing: 'Nursing',
  psychology_neuroscience: 'Psychology & neuroscience',
  social_science: 'Social science',
};

/** Deactivate / activate, through UsersService (deactivating signs the user out everywhere). */
function activation(services: AdminServices, active: boolean) {
  return serviceActions({
    name: active ? 'activate' : 'deactivate',
    icon: active ? 'UserCheck' : 'UserX',
    guard: active ? 'Activate this user?' : 'Deactivate this user? They are signed out at once.',
    done: active ? 'User activated' : 'User deactivated',
    when: (record) => !record.param('deletedAt') && Boolean(record.param('isActive')) !== active,
    run: async (em, entity) => {
      await services
        .get(UsersService)
        .setActive((entity as User).id, active, em as unknown as EntityManager);
    },
  });
}

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
    label: 'Users',
    titleProperty: 'email',
    searchFields: ['name', 'email'],
    choices: { department: DEPARTMENTS },
    listProperties: [
      'email',
      'name',
      'emailVerifiedAt',
      'isStaff',
      'isSuperuser',
      'isActive',
      'deletedAt',
      'createdAt',
    ],
    filterProperties: [
      'id',
      'email',
      'emailVerifiedAt',
      'pendingEmail',
      'name',
      'isStaff',
      'isSuperuser',
      'isActive',
      'department',
      'gender',
      'lastLoginAt',
      'createdAt',
      'deletedAt',
    ],
    showProperties: [
      'id',
      'email',
      'emailVerifiedAt',
      'pendingEmail',
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
      'emailVerifiedAt',
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
    onRestore: { isActive: true },
    exportName: 'users',
    adapter: (services) => ({
      constraints: {
        users_deleted_is_inactive: {
          property: 'isActive',
          message: 'A deleted user cannot be active: restore the user instead.',
        },
        users_email_unique: { property: 'email', message: 'Another user already has this email.' },
      },
      // A new password, a deactivation or a deletion signs the user out everywhere.
      onWrite: async (em, entity, { action, changes }) => {
        const signOut =
          action === AuditAction.Delete ||
          'password' in changes ||
          (changes.isActive !== undefined && changes.isActive.to === false);
        if (signOut) {
          await services
            .get(TokensService)
            .revokeAllForUser((entity as User).id, em as unknown as EntityManager);
        }
      },
    }),
    options: (services) => {
      const deactivate = activation(services, false);
      const activate = activation(services, true);
      return {
        actions: {
          new: { before: normalizeEmailField },
          edit: { before: normalizeEmailField },
          deactivate: deactivate.record,
          activate: activate.record,
          bulkDeactivate: deactivate.bulk,
          bulkActivate: activate.bulk,
        },
      };
    },
  },
  {
    entity: AuthToken,
    navigation: 'Accounts',
    label: 'Tokens',
    titleProperty: (t) => `${(t as AuthToken).kind} token ${(t as AuthToken).family.slice(0, 8)}…`,
    searchFields: ['user.email', 'user.name', 'family'],
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
    label: 'Password reset codes',
    titleProperty: (c) =>
      `Code of ${(c as PasswordResetCode).createdAt.toISOString().slice(0, 16).replace('T', ' ')}`,
    searchFields: ['user.email'],
    readOnly: true,
    listProperties: ['user', 'expiresAt', 'attempts', 'usedAt', 'createdAt'],
    filterProperties: ['user', 'expiresAt', 'usedAt', 'createdAt'],
    showProperties: ['id', 'user', 'expiresAt', 'attempts', 'usedAt', 'createdAt'],
    sort: { sortBy: 'createdAt', direction: 'desc' },
    secrets: ['codeHash', 'salt'],
  },
];
