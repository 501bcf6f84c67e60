import { Migration } from '@mikro-orm/migrations';

/** Admin-panel sessions (connect-pg-simple's table), shared by every API instance. */
export class Migration20261122000000_core extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "admin_session" ("sid" varchar not null primary key, "sess" json not null, "expire" timestamp(6) not null);`,
    );
    this.addSql(`create index "admin_session_expire_index" on "admin_session" ("expire");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "admin_session";`);
  }
}
