import { Injectable } from '@nestjs/common';
import type { Principal } from '#porch/core';

/**
 * Object-level rules of the accounts module, in one place. Deleted users are hidden from
 * everyone by the `notDeleted` filter (404); inactive users are visible to staff only.
 */
@Injectable()
export class AccountsAccess {
  isStaff(viewer: Principal): boolean {
    return viewer.isStaff || viewer.isSuperuser;
  }

  /** The users whose public profile and photo `viewer` may see. */
  visibleUsers(viewer: Principal): { isActive?: true } {
    return this.isStaff(viewer) ? {} : { isActive: true };
  }
}
