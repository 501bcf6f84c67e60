import { Injectable } from '@nestjs/common';

/**
 * Which users are hosts right now (SPEC §3: `role` is `host` while the user hosts a party whose
 * last entry is in the future). The parties module provides the real answer; accounts only asks,
 * so it never imports parties. One call per response, whatever the number of users (no N+1).
 */
export abstract class HostingStatus {
  abstract hostingUserIds(userIds: readonly string[]): Promise<Set<string>>;
}

/** Until a parties module is wired in, nobody hosts. */
@Injectable()
export class NoHosting extends HostingStatus {
  hostingUserIds(): Promise<Set<string>> {
    return Promise.resolve(new Set());
  }
}

export type Role = 'host' | 'guest';
