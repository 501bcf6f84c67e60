/**
 * The catalogue of object-level permissions: what a caller may do to one object (a party, an
 * invite, a group…) or, for the few without an object, to the app (`admin.access`,
 * `export.read`). Each is decided by one checker, registered by the module that owns the object
 * (see AccessService); the route-declaration spec fails if one has no checker.
 */
export const PERMISSIONS = [
  // accounts
  /** A user's public profile and photo: active users for everyone, inactive ones for staff. */
  'user.read',
  /** The parties a user hosts: their own list, or anyone's for staff. */
  'user.parties',
  /** The admin panel: superusers. */
  'admin.access',
  /** The CSV/Excel exports: staff. */
  'export.read',
  // parties
  /** See a party: its host, anyone invited to it, staff. */
  'party.read',
  /** Change a party: its host. */
  'party.update',
  /** Cancel (soft-delete) a party: its host. */
  'party.delete',
  /** The guest list and the invitable users of a party: its host. */
  'party.guests',
  /** Invite users to a party: its host. */
  'party.invite',
  // invites
  /** See an invite: its guest and its party's host. */
  'invite.read',
  /** Answer an invite (confirm, change plus-ones): its guest. */
  'invite.respond',
  /** Cancel an open invite: its guest or its party's host. */
  'invite.cancel',
  /** Check a guest in, or mark a no-show: its party's host. */
  'invite.checkIn',
  // tasks
  /** A measurement session: the user who uploaded it. */
  'session.read',
  /** See a group: its owner, its members, anyone it has invited (to decide). */
  'group.read',
  /** A group's members and their tasks: its owner and accepted members. */
  'group.members',
  /** Invite members, manage the join code: the owner. */
  'group.manage',
  /** Remove someone else from a group: the owner (anyone may remove themself). */
  'group.removeMembers',
] as const;

export type Permission = (typeof PERMISSIONS)[number];
