import { Migration } from '@mikro-orm/migrations';

/** The admin panel's audit log (Django's LogEntry). */
export class Migration20261122000600_admin extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "audit_logs" ("id" uuid not null, "actor_id" uuid null, "actor_email" varchar(254) not null, "action" text check ("action" in ('create', 'update', 'delete', 'restore')) not null, "resource" varchar(100) not null, "record_id" varchar(100) not null, "changes" jsonb not null, "created_at" timestamptz not null, constraint "audit_logs_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "audit_logs_actor_index" on "audit_logs" ("actor_id");`);
    this.addSql(`create index "audit_logs_created_at_index" on "audit_logs" ("created_at");`);
    this.addSql(
      `create index "audit_logs_record_index" on "audit_logs" ("resource", "record_id");`,
    );
    this.addSql(
      `alter table "audit_logs" add constraint "audit_logs_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_logs" cascade;`);
  }
}
