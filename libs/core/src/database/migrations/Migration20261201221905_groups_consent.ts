import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 14: consent in groups, and one spelling of each email.
 *
 * - Memberships get a status. Every existing membership becomes `pending`: it was made by an
 *   owner without asking, and no task may reach a group its owner was not allowed into; members
 *   see the invitations in `GET /groups` and accept them. Owners need no row and are unaffected.
 * - Groups get a join code, off (null) for existing groups until their owner makes one
 *   (`POST /groups/{id}/join-code`); new groups get one at creation.
 * - Emails stored before NFKC normalization are rewritten in that form (`ａｄｍｉｎ@…` becomes
 *   `admin@…`), except where another account has or would get that spelling: those accounts
 *   are left for an administrator to sort out (the look-alike can no longer log in by typing
 *   it, since logins compare the normalized form).
 */
export class Migration20261201221905_groups_consent extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "groups" add column "join_code" varchar(16) null;`);

    this.addSql(
      `alter table "group_members" add column "status" text check ("status" in ('pending', 'accepted', 'declined')) not null default 'pending', add column "responded_at" timestamptz null;`,
    );

    // normalize() needs a UTF8 database (PostgreSQL's default, and the embedded one's).
    this.addSql(`do $$
      begin
        if current_setting('server_encoding') = 'UTF8' then
          update users u set email = lower(normalize(u.email, NFKC))
           where u.email is distinct from lower(normalize(u.email, NFKC))
             and not exists (select 1 from users o where o.id <> u.id
                              and lower(normalize(o.email, NFKC)) = lower(normalize(u.email, NFKC)));
        end if;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "groups" drop column "join_code";`);

    this.addSql(`alter table "group_members" drop column "status", drop column "responded_at";`);
  }
}
