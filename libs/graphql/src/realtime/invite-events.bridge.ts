import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InviteEvents } from '#porch/invites';
import { type ClosablePubSub, INVITE_EVENTS } from './pubsub.js';

/** The injection token of the PubSub handle (engine + close). */
export const PUB_SUB_HANDLE = 'PORCH_PUB_SUB_HANDLE';

/**
 * Sends every invite event of this process (the invites service's, after its write) to every
 * instance through the PubSub; the subscriptions read them back from there, this instance's
 * included, so there is one path whatever instance wrote.
 */
@Injectable()
export class InviteEventsBridge implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Subscriptions');
  private stopListening?: () => void;

  constructor(
    private readonly events: InviteEvents,
    @Inject(PUB_SUB_HANDLE) private readonly pubsub: ClosablePubSub,
  ) {}

  onModuleInit(): void {
    this.logger.log(
      `invite events fan out over ${this.pubsub.kind === 'redis' ? 'Redis pub/sub' : 'PostgreSQL LISTEN/NOTIFY'}`,
    );
    this.stopListening = this.events.listen((event) => {
      this.pubsub.engine.publish(INVITE_EVENTS, event).catch((error: unknown) => {
        // The write stands; subscribers miss this one event.
        this.logger.warn(`invite event not published: ${String(error)}`);
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopListening?.();
    await this.pubsub.close();
  }
}
