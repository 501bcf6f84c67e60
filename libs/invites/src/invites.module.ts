import { EntityManager } from '@mikro-orm/postgresql';
import { Module } from '@nestjs/common';
import { Invite, PartiesModule } from '#porch/parties';
import { InviteAccess } from './invite-access.js';
import { InviteEvents } from './invite-events.js';
import { InvitesController } from './invites.controller.js';
import { InvitesSeeder } from './invites.seeder.js';
import { InvitesRepository } from './invites.repository.js';
import { InvitesService } from './invites.service.js';

/** Invite endpoints and their state machine; the Invite entity comes from the parties module. */
@Module({
  imports: [PartiesModule],
  controllers: [InvitesController],
  providers: [
    InvitesService,
    InvitesSeeder,
    InviteAccess,
    InviteEvents,
    // Invite is the parties lib's entity and does not name this repository (see its class).
    {
      provide: InvitesRepository,
      inject: [EntityManager],
      useFactory: (em: EntityManager) => new InvitesRepository(em, Invite),
    },
  ],
  exports: [InvitesService, InviteEvents],
})
export class InvitesModule {}
