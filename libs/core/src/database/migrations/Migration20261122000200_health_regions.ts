import { Migration } from '@mikro-orm/migrations';

/** Health-region reference tables (filled by the health-regions loader at start) and the version table. */
export class Migration20261122000200_health_regions extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "province" ("geo_code" int not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "alpha_code" char(2) not null, "name_en" varchar(100) not null, "name_fr" varchar(100) not null, "region_en" varchar(100) not null, "region_fr" varchar(100) not null, constraint "province_pkey" primary key ("geo_code"), constraint province_alpha_code_check check (alpha_code ~ '^[A-Z]{2}\$'));`,
    );
    this.addSql(
      `alter table "province" add constraint "province_alpha_code_unique" unique ("alpha_code");`,
    );

    this.addSql(
      `create table "health_region" ("hr_uid" int not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "province_geo_code" int not null, "name_en" varchar(255) not null, "name_fr" varchar(255) not null, "short_name_en" varchar(255) not null, "short_name_fr" varchar(255) not null, "population" int null, "website_en" varchar(255) null, "website_fr" varchar(255) null, constraint "health_region_pkey" primary key ("hr_uid"), constraint health_region_population_check check (population >= 0));`,
    );
    this.addSql(
      `create index "health_region_province_geo_code_index" on "health_region" ("province_geo_code");`,
    );

    this.addSql(
      `create table "fsa_health_region" ("fsa" char(3) not null, "hr_uid" int not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "province_geo_code" int not null, "estimated_population" int null, constraint "fsa_health_region_pkey" primary key ("fsa", "hr_uid"), constraint fsa_health_region_estimated_population_check check (estimated_population >= 0), constraint fsa_health_region_fsa_check check (fsa ~ '^[ABCEGHJ-NPRSTVXY][0-9][A-Z]\$'));`,
    );
    this.addSql(`create index "fsa_health_region_hr_uid_index" on "fsa_health_region" ("hr_uid");`);

    this.addSql(
      `create table "reference_data_version" ("name" varchar(50) not null, "checksum" char(64) not null, "loaded_at" timestamptz not null, constraint "reference_data_version_pkey" primary key ("name"));`,
    );

    this.addSql(
      `alter table "health_region" add constraint "health_region_province_geo_code_foreign" foreign key ("province_geo_code") references "province" ("geo_code") on update cascade;`,
    );

    this.addSql(
      `alter table "fsa_health_region" add constraint "fsa_health_region_hr_uid_foreign" foreign key ("hr_uid") references "health_region" ("hr_uid") on update cascade;`,
    );
    this.addSql(
      `alter table "fsa_health_region" add constraint "fsa_health_region_province_geo_code_foreign" foreign key ("province_geo_code") references "province" ("geo_code") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "health_region" drop constraint "health_region_province_geo_code_foreign";`,
    );

    this.addSql(
      `alter table "fsa_health_region" drop constraint "fsa_health_region_province_geo_code_foreign";`,
    );

    this.addSql(
      `alter table "fsa_health_region" drop constraint "fsa_health_region_hr_uid_foreign";`,
    );

    this.addSql(`drop table if exists "province" cascade;`);

    this.addSql(`drop table if exists "health_region" cascade;`);

    this.addSql(`drop table if exists "fsa_health_region" cascade;`);

    this.addSql(`drop table if exists "reference_data_version" cascade;`);
  }
}
