import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { HostingStatus } from '#porch/accounts';
import { rawQuery } from '#porch/core';

/**
 * Which users are hosts right now: `role` in user responses is derived, `host` while the user
 * hosts a non-deleted party whose last entry is still ahead (SPEC §3). Shaped as the accounts
 * module's `HostingStatus` port; one indexed query (parties host_id, last_entry) per batch.
 */
@Injectable()
export class PartiesHostingStatus extends HostingStatus {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async hostingUserIds(userIds: readonly string[]): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows = await rawQuery<{ host_id: string }>(
      this.em,
      `select distinct host_id from parties
        where host_id in (?) and deleted_at is null and last_entry > ?`,
      [[...userIds], new Date()],
    );
    return new Set(rows.map((r) => r.host_id));
  }
}
