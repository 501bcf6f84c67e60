import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log.entity.js';

/**
 * Registers the AuditLog entity. Listed in DOMAIN_MODULES so the manage CLI (migrations, dumps)
 * knows the table too, not only the admin panel.
 */
@Module({
  imports: [MikroOrmModule.forFeature([AuditLog])],
  exports: [MikroOrmModule],
})
export class AuditModule {}
