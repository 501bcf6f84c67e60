import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { HostingStatus } from '#porch/accounts';
import { Party } from './party.entity.js';
import type { PartiesRepository } from './parties.repository.js';

/**
 * Which users are hosts right now: `role` in user responses is derived, `host` while the user
 * hosts a non-deleted party whose last entry is still ahead (SPEC §3). Shaped as the accounts
 * module's `HostingStatus` port; one query per batch (`PartiesRepository.hostsAmong`).
 *
 * AccountsModule instantiates it (`forRoot({ hostingStatus })`) where PartiesModule's providers
 * are out of reach: the repository comes from the global EntityManager, not by injection.
 */
@Injectable()
export class PartiesHostingStatus extends HostingStatus {
  private readonly parties: PartiesRepository;

  constructor(em: EntityManager) {
    super();
    this.parties = em.getRepository(Party);
  }

  async hostingUserIds(userIds: readonly string[]): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    return this.parties.hostsAmong(userIds, new Date());
  }
}
