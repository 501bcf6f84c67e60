import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 18: email verification. Users get `email_verified_at` and `pending_email` (an email
 * change waiting for its code); codes live in `email_verification_codes`, shaped like
 * `password_reset_codes`. Accounts that exist when this runs count as verified (at their
 * creation): they signed up when nothing was asked, and REQUIRE_VERIFIED_EMAIL must not lock
 * them out. Only accounts made from now on start unverified.
 */
export class Migration20261202013857_email_verification extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "email_verification_codes" ("id" uuid not null, "user_id" uuid not null, "salt" char(32) not null, "code_hash" char(64) not null, "expires_at" timestamptz not null, "attempts" smallint not null default 0, "used_at" timestamptz null, "created_at" timestamptz not null, "email" varchar(254) not null, constraint "email_verification_codes_pkey" primary key ("id"), constraint email_verification_codes_attempts_check check (attempts >= 0));`,
    );
    this.addSql(
      `create index "email_verification_codes_user_index" on "email_verification_codes" ("user_id", "created_at");`,
    );
    this.addSql(
      `create index "email_verification_codes_email_index" on "email_verification_codes" ("email", "created_at");`,
    );

    this.addSql(
      `alter table "email_verification_codes" add constraint "email_verification_codes_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "users" add column "email_verified_at" timestamptz null, add column "pending_email" varchar(254) null;`,
    );
    this.addSql(`create index "users_pending_email_index" on "users" ("pending_email");`);
    this.addSql(`update "users" set "email_verified_at" = "created_at";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "email_verification_codes" cascade;`);

    this.addSql(`drop index "users_pending_email_index";`);
    this.addSql(
      `alter table "users" drop column "email_verified_at", drop column "pending_email";`,
    );
  }
}
