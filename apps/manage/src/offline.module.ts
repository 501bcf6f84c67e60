import { MikroORM, type EntityClass } from '@mikro-orm/core';
import { MikroOrmEntitiesStorage } from '@mikro-orm/nestjs/mikro-orm.entities.storage.js';
import { Module } from '@nestjs/common';
import { AppConfig, ConfigModule, ormOptions } from '#porch/core';
// Imported for its effect: each domain module's MikroOrmModule.forFeature() records its entities.
import '../../api/src/domain-modules.js';
import { ProgramName } from './command-line.js';
import { GenEnvCommand } from './commands/gen-env.command.js';
import { GraphModelsCommand } from './commands/graph-models.command.js';

/**
 * The commands that need no database (gen-env, graph-models): no PostgreSQL is started or
 * reached, and no domain module starts (some load data in their init hooks). The entity classes
 * come from the registry `forFeature()` fills as the domain modules are imported — the list
 * `autoLoadEntities` would use — and MikroORM discovers them without connecting.
 */
@Module({
  imports: [ConfigModule],
  providers: [
    GenEnvCommand,
    GraphModelsCommand,
    ProgramName,
    {
      provide: MikroORM,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        MikroORM.init({
          ...ormOptions(config, 'postgresql://offline@127.0.0.1:1/offline'),
          entities: [...MikroOrmEntitiesStorage.getEntities()] as EntityClass<object>[],
          connect: false,
        }),
    },
  ],
})
export class OfflineManageModule {}
