import { Module } from '@nestjs/common';
import { PartiesModule } from '#porch/parties';
import { InviteAccess } from './invite-access.js';
import { InviteEvents } from './invite-events.js';
import { InvitesController } from './invites.controller.js';
import { InvitesSeeder } from './invites.seeder.js';
import { InvitesService } from './invites.service.js';

/** Invite endpoints and their state machine; the Invite entity comes from the parties module. */
@Module({
  imports: [PartiesModule],
  controllers: [InvitesController],
  providers: [InvitesService, InvitesSeeder, InviteAccess, InviteEvents],
  exports: [InvitesService, InviteEvents],
})
export class InvitesModule {}
