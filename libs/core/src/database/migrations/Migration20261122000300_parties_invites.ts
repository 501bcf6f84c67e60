import { Migration } from '@mikro-orm/migrations';

export class Migration20261122000300_parties_invites extends Migration {
  override async up(): Promise<void> {
    // btree_gist lets the exclusion constraint compare host_id with `=` inside a GiST index.
    // A trusted extension (PostgreSQL ≥ 13): the database owner may create it.
    this.addSql(`create extension if not exists btree_gist;`);

    this.addSql(
      `create table "parties" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null, "host_id" uuid not null, "flat" varchar(50) not null, "first_entry" timestamptz not null, "last_entry" timestamptz not null, "vibe" text check ("vibe" in ('chill', 'party', 'rager')) not null default 'chill', "description" text null, "postal_code" varchar(7) null, constraint "parties_pkey" primary key ("id"), constraint parties_postal_code_format check (postal_code ~ '^[ABCEGHJ-NPRSTVXY][0-9][A-Z]( [0-9][A-Z][0-9])?\$'), constraint parties_flat_not_blank check (btrim(flat) <> ''), constraint parties_last_entry_12h check (first_entry + '12:00:00'::interval = last_entry));`,
    );
    this.addSql(
      `alter table "parties" add constraint "parties_host_no_overlap" exclude using gist ("host_id" with =, tstzrange("first_entry", "last_entry") with &&) where ("deleted_at" is null);`,
    );
    this.addSql(`create index "parties_last_entry_index" on "parties" ("last_entry");`);
    this.addSql(
      `create index "parties_host_last_entry_index" on "parties" ("host_id", "last_entry");`,
    );

    this.addSql(
      `create table "invites" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "party_id" uuid not null, "guest_id" uuid not null, "status" text check ("status" in ('invited', 'confirmed', 'canceled', 'checked_in', 'no_show')) not null default 'invited', "plus_ones" smallint not null default 0, "responded_at" timestamptz null, constraint "invites_pkey" primary key ("id"), constraint invites_plus_ones_range check (plus_ones >= 0 and plus_ones <= 5));`,
    );
    this.addSql(`create index "invites_guest_status_index" on "invites" ("guest_id", "status");`);
    this.addSql(
      `alter table "invites" add constraint "invites_party_guest_unique" unique ("party_id", "guest_id");`,
    );

    this.addSql(
      `alter table "parties" add constraint "parties_host_id_foreign" foreign key ("host_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "invites" add constraint "invites_party_id_foreign" foreign key ("party_id") references "parties" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "invites" add constraint "invites_guest_id_foreign" foreign key ("guest_id") references "users" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "invites" cascade;`);
    this.addSql(`drop table if exists "parties" cascade;`);
    // btree_gist stays: other objects may use it, and it is harmless.
  }
}
