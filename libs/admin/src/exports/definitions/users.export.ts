import { defineExport, inScope, where } from '../export-definition.js';

/** Users without password hashes or photo bytes; soft-deleted users are left out (SPEC §2). */
export const usersExport = defineExport({
  name: 'users',
  filters: ['userIds', 'since', 'until'],
  columns: [
    'id',
    'email',
    'name',
    'birthdate',
    'gender',
    'department',
    'teacherEmail',
    'isStaff',
    'isSuperuser',
    'isActive',
    'lastLoginAt',
    'createdAt',
    'updatedAt',
  ],
  sql: (f) =>
    where(
      `select u.id, u.email, u.name, u.birthdate::text as "birthdate", u.gender, u.department,
              u.teacher_email as "teacherEmail", u.is_staff as "isStaff",
              u.is_superuser as "isSuperuser", u.is_active as "isActive",
              u.last_login_at as "lastLoginAt", u.created_at as "createdAt",
              u.updated_at as "updatedAt"
         from users u`,
      [
        'u.deleted_at is null',
        f.userIds && ['u.id = any(?::uuid[])', f.userIds],
        f.since && ['u.created_at >= ?', f.since],
        f.until && ['u.created_at < ?', f.until],
        inScope('u.id', f.scope),
      ],
      'order by u.id',
    ),
});
