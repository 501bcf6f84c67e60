// In a file of its own, not GroupMember's: GroupsRepository builds its SQL from these values as it
// loads, and Group (which GroupMember imports) imports GroupsRepository, so from the entity's
// module it could be read before it is defined.

/**
 * Whether a member agreed to be in the group. Only `accepted` members' tasks reach the group:
 * an owner's invitation is `pending` until the invitee accepts (or joins with the group's code).
 */
export enum MembershipStatus {
  Pending = 'pending',
  Accepted = 'accepted',
  Declined = 'declined',
}
