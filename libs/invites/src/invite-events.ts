import { Injectable } from '@nestjs/common';
import type { InviteStatus } from '#porch/parties';

/** An invite was created or changed status or plus-ones (the write has committed). */
export interface InviteEvent {
  kind: 'created' | 'changed';
  inviteId: string;
  partyId: string;
  guestId: string;
  hostId: string;
  status: InviteStatus;
}

export type InviteListener = (event: InviteEvent) => void;

/**
 * Where the invites service says what it wrote, for whoever listens in this process (the
 * GraphQL subscriptions fan it out to every instance). Listeners run after the write, never
 * inside it: one that throws is its own problem, not the request's.
 */
@Injectable()
export class InviteEvents {
  private readonly listeners = new Set<InviteListener>();

  /** Returns the function that removes the listener again. */
  listen(listener: InviteListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: InviteEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is not the write's.
      }
    }
  }
}
