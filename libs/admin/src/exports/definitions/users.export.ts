import { byKey, defineExport, during, ofUsers } from '../export-definition.js';

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
    byKey(
      `select u.id, u.email, u.name, u.birthdate::text as "birthdate", u.gender, u.department,
              u.teacher_email as "teacherEmail", u.is_staff as "isStaff",
              u.is_superuser as "isSuperuser", u.is_active as "isActive",
              u.last_login_at as "lastLoginAt", u.created_at as "createdAt",
              u.updated_at as "updatedAt"
         from users u`,
      'u.id',
      f,
      ['u.deleted_at is null', ofUsers('u.id', f), ...during('u.created_at', f)],
    ),
});
