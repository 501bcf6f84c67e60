import { defineExport, during, ofUsers } from '../export-definition.js';

/** Users without password hashes or photo bytes; soft-deleted users are left out (SPEC §2). */
export const usersExport = defineExport({
  name: 'users',
  filters: ['userIds', 'since', 'until'],
  columns: {
    id: 'u.id',
    email: 'u.email',
    name: 'u.name',
    birthdate: 'u.birthdate::text',
    gender: 'u.gender',
    department: 'u.department',
    teacherEmail: 'u.teacher_email',
    isStaff: 'u.is_staff',
    isSuperuser: 'u.is_superuser',
    isActive: 'u.is_active',
    lastLoginAt: 'u.last_login_at',
    createdAt: 'u.created_at',
    updatedAt: 'u.updated_at',
  },
  from: 'users u',
  key: 'u.id',
  where: (f) => ['u.deleted_at is null', ofUsers('u.id', f), ...during('u.created_at', f)],
});
