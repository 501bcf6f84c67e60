import { Migration } from '@mikro-orm/migrations';

export class Migration20261122000150_accounts_reset extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "password_reset_codes" ("id" uuid not null, "user_id" uuid not null, "salt" char(32) not null, "code_hash" char(64) not null, "expires_at" timestamptz not null, "attempts" smallint not null default 0, "used_at" timestamptz null, "created_at" timestamptz not null, constraint "password_reset_codes_pkey" primary key ("id"), constraint password_reset_codes_attempts_check check (attempts >= 0));`,
    );
    this.addSql(
      `create index "password_reset_codes_user_created_index" on "password_reset_codes" ("user_id", "created_at");`,
    );

    this.addSql(
      `alter table "password_reset_codes" add constraint "password_reset_codes_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "password_reset_codes" cascade;`);
  }
}
