import { Migration } from '@mikro-orm/migrations';

export class Migration20261122000100_accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "users" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "email" varchar(254) not null, "password" text not null, "name" varchar(150) not null, "birthdate" date null, "gender" text check ("gender" in ('unspecified', 'male', 'female', 'other')) not null default 'unspecified', "department" text check ("department" in ('arts_humanities', 'business', 'dentistry', 'engineering', 'law', 'medicine_life_sciences', 'natural_sciences', 'nursing', 'psychology_neuroscience', 'social_science')) null, "photo" bytea null, "photo_type" varchar(20) null, "photo_hash" varchar(64) null, "teacher_email" varchar(254) null, "is_staff" boolean not null default false, "is_superuser" boolean not null default false, "is_active" boolean not null default true, "last_login_at" timestamptz null, constraint "users_pkey" primary key ("id"), constraint users_email_lower check (email = lower(email)), constraint users_deleted_is_inactive check (deleted_at is null or is_active = false));`,
    );
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`create index "users_name_index" on "users" ("name");`);

    this.addSql(
      `create table "auth_tokens" ("id" uuid not null, "user_id" uuid not null, "family" uuid not null, "kind" text check ("kind" in ('access', 'refresh')) not null, "token_hash" char(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, constraint "auth_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "auth_tokens" add constraint "auth_tokens_hash_unique" unique ("token_hash");`,
    );
    this.addSql(`create index "auth_tokens_family_index" on "auth_tokens" ("family");`);
    this.addSql(`create index "auth_tokens_user_index" on "auth_tokens" ("user_id");`);

    this.addSql(
      `alter table "auth_tokens" add constraint "auth_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "auth_tokens" drop constraint "auth_tokens_user_id_foreign";`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "auth_tokens" cascade;`);
  }
}
