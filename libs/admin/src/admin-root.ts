/** Where the admin panel lives. */
export const ADMIN_ROOT = '/admin';
