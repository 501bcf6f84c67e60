import { MetadataStorage, MikroORM, type EntityClass } from '@mikro-orm/core';
import { Module } from '@nestjs/common';
import { AppConfig, ConfigModule, ormOptions } from '#porch/core';
// Imported for its effect: loading the domain modules declares their entities (@Entity).
import '../../api/src/domain-modules.js';
import { ProgramName } from './command-line.js';
import { GenEnvCommand } from './commands/gen-env.command.js';
import { GraphModelsCommand } from './commands/graph-models.command.js';

/**
 * The commands that need no database (gen-env, graph-models): no PostgreSQL is started or
 * reached, and no domain module starts (some load data in their init hooks). The entity classes
 * come from MikroORM's public registry of `@Entity()` classes (`MetadataStorage.getMetadata()`),
 * filled as the domain modules are imported, and MikroORM discovers them without connecting.
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
          entities: Object.values(MetadataStorage.getMetadata())
            .map((meta) => meta.class)
            .filter(Boolean) as EntityClass<object>[],
          connect: false,
        }),
    },
  ],
})
export class OfflineManageModule {}
