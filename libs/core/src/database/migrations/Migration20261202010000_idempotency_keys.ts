import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 18: Idempotency-Key on POST and PATCH. Core's table of keys and first answers (24 h),
 * shared by every instance: the primary key is what makes a claim atomic. `claim` names the
 * request holding a key (null `status` until its answer is stored); `locked_until` ends its
 * hold should it die. Plus the index the sweep of expired tokens reads.
 */
export class Migration20261202010000_idempotency_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "idempotency_keys" ("scope" text not null, "route" text not null, "key" varchar(255) not null, "fingerprint" char(64) not null, "claim" uuid not null, "status" smallint null, "headers" jsonb null, "body" text null, "locked_until" timestamptz not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "idempotency_keys_pkey" primary key ("scope", "route", "key"));`,
    );
    this.addSql(
      `create index "idempotency_keys_expires_at_index" on "idempotency_keys" ("expires_at");`,
    );
    this.addSql(`create index "auth_tokens_expires_at_index" on "auth_tokens" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "auth_tokens_expires_at_index";`);
    this.addSql(`drop table if exists "idempotency_keys" cascade;`);
  }
}
