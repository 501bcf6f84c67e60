import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { PartiesDemoData } from './parties.demo.js';
import { HealthRegionsModule } from '#porch/health-regions';
import { PartiesHostingStatus } from './parties-hosting-status.js';
import { Invite } from './invite.entity.js';
import { PartiesController } from './parties.controller.js';
import { PartiesSeeder } from './parties.seeder.js';
import { PartiesService } from './parties.service.js';
import { PartyAccess } from './party-access.service.js';
import { Party } from './party.entity.js';
import { UserPartiesController } from './user-parties.controller.js';

/**
 * Parties, and the Invite entity they own (the invites module imports this one for the entities;
 * nothing here imports the invites module). PartyAccess is the parties' permission checker: it
 * registers with core's AccessService, which everyone calls instead.
 */
@Module({
  imports: [MikroOrmModule.forFeature([Party, Invite]), HealthRegionsModule],
  controllers: [PartiesController, UserPartiesController],
  providers: [PartiesService, PartyAccess, PartiesHostingStatus, PartiesSeeder, PartiesDemoData],
  exports: [MikroOrmModule, PartiesService, PartiesHostingStatus],
})
export class PartiesModule {}
