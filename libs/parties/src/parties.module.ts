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
 * Parties, and the Invite entity they own (the invites module imports this one for the entities
 * and PartyAccess; nothing here imports the invites module).
 */
@Module({
  imports: [MikroOrmModule.forFeature([Party, Invite]), HealthRegionsModule],
  controllers: [PartiesController, UserPartiesController],
  providers: [PartiesService, PartyAccess, PartiesHostingStatus, PartiesSeeder, PartiesDemoData],
  exports: [MikroOrmModule, PartiesService, PartyAccess, PartiesHostingStatus],
})
export class PartiesModule {}
