import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { TasksDemoData } from './tasks.demo.js';
import { Device } from './devices/device.entity.js';
import { GroupMember } from './groups/group-member.entity.js';
import { Group } from './groups/group.entity.js';
import { GroupsController } from './groups/groups.controller.js';
import { GroupsService } from './groups/groups.service.js';
import { Keypress } from './keypresses/keypress.entity.js';
import { Session } from './sessions/session.entity.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { SessionsService } from './sessions/sessions.service.js';
import { Task } from './tasks/task.entity.js';
import { TasksController } from './tasks/tasks.controller.js';
import { TasksService } from './tasks/tasks.service.js';
import { TasksAccess } from './tasks-access.js';
import { TasksSeeder } from './tasks.seeder.js';

/** The measurements app: devices, sessions, tasks, keypresses and groups. */
@Module({
  imports: [MikroOrmModule.forFeature([Device, Session, Task, Keypress, Group, GroupMember])],
  controllers: [SessionsController, TasksController, GroupsController],
  providers: [
    SessionsService,
    TasksService,
    GroupsService,
    TasksAccess,
    TasksSeeder,
    TasksDemoData,
  ],
  exports: [SessionsService, TasksService, GroupsService],
})
export class TasksModule {}
