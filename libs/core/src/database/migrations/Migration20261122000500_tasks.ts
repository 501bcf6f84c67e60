import { Migration } from '@mikro-orm/migrations';

/** The measurements app: devices, sessions, tasks, keypresses, groups and their members. */
export class Migration20261122000500_tasks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "groups" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "owner_id" uuid not null, "name" varchar(100) not null, constraint "groups_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "groups" add constraint "groups_owner_name_unique" unique ("owner_id", "name");`,
    );

    this.addSql(
      `create table "group_members" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "group_id" uuid not null, "user_id" uuid not null, constraint "group_members_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "group_members_user_index" on "group_members" ("user_id");`);
    this.addSql(
      `alter table "group_members" add constraint "group_members_group_user_unique" unique ("group_id", "user_id");`,
    );

    this.addSql(
      `create table "devices" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "user_id" uuid not null, "platform" text check ("platform" in ('android', 'ios')) not null, "model" varchar(100) not null, "os_version" varchar(50) not null, "details" jsonb not null default '{}', constraint "devices_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "devices" add constraint "devices_user_platform_model_os_unique" unique ("user_id", "platform", "model", "os_version");`,
    );

    this.addSql(
      `create table "sessions" ("id" uuid not null, "user_id" uuid not null, "device_id" uuid not null, "started_at" timestamptz not null, "ended_at" timestamptz not null, "duration_ms" int not null, "app_version" varchar(50) not null, "body_hash" char(64) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "sessions_pkey" primary key ("id"), constraint sessions_ended_after_started check (ended_at >= started_at));`,
    );
    this.addSql(`create index "sessions_device_index" on "sessions" ("device_id");`);
    this.addSql(
      `create index "sessions_user_started_index" on "sessions" ("user_id", "started_at");`,
    );

    this.addSql(
      `create table "tasks" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "session_id" uuid not null, "user_id" uuid not null, "position" smallint not null, "first_number" int not null, "second_number" int not null, "operator" text check ("operator" in ('+', '-', '*', '/')) not null, "user_answer" int null, "answered_at" timestamptz null, "answer_ms" int null, "visual_help" boolean not null default false, "is_correct" boolean null, constraint "tasks_pkey" primary key ("id"), constraint tasks_answer_time check ((answered_at is null and answer_ms is null) or (answered_at is not null and answer_ms >= 0)), constraint tasks_correct_iff_answered check ((user_answer is null) = (is_correct is null)));`,
    );
    this.addSql(`create index "tasks_user_answered_index" on "tasks" ("user_id", "answered_at");`);
    this.addSql(`create index "tasks_user_created_index" on "tasks" ("user_id", "created_at");`);
    this.addSql(
      `alter table "tasks" add constraint "tasks_session_position_unique" unique ("session_id", "position");`,
    );

    this.addSql(
      `create table "keypresses" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "session_id" uuid not null, "key" varchar(16) not null, "at" timestamptz not null, constraint "keypresses_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "keypresses_session_at_index" on "keypresses" ("session_id", "at");`);

    this.addSql(
      `alter table "groups" add constraint "groups_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "group_members" add constraint "group_members_group_id_foreign" foreign key ("group_id") references "groups" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "group_members" add constraint "group_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "devices" add constraint "devices_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "sessions" add constraint "sessions_device_id_foreign" foreign key ("device_id") references "devices" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "tasks" add constraint "tasks_session_id_foreign" foreign key ("session_id") references "sessions" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "tasks" add constraint "tasks_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "keypresses" add constraint "keypresses_session_id_foreign" foreign key ("session_id") references "sessions" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "group_members" drop constraint "group_members_group_id_foreign";`);

    this.addSql(`alter table "sessions" drop constraint "sessions_device_id_foreign";`);

    this.addSql(`alter table "tasks" drop constraint "tasks_session_id_foreign";`);

    this.addSql(`alter table "keypresses" drop constraint "keypresses_session_id_foreign";`);

    this.addSql(`drop table if exists "groups" cascade;`);

    this.addSql(`drop table if exists "group_members" cascade;`);

    this.addSql(`drop table if exists "devices" cascade;`);

    this.addSql(`drop table if exists "sessions" cascade;`);

    this.addSql(`drop table if exists "tasks" cascade;`);

    this.addSql(`drop table if exists "keypresses" cascade;`);
  }
}
