import {
  Check,
  Collection,
  Entity,
  Index,
  ManyToOne,
  OneToMany,
  PrimaryKey,
  PrimaryKeyProp,
  Property,
  type Rel,
} from '@mikro-orm/core';
import type { FsaHealthRegion } from './fsa-health-region.entity.js';
import { Province } from './province.entity.js';
import { ReferenceEntity } from './reference.entity.js';

/** A health region (2018 boundaries), keyed by its official `hr_uid` (e.g. 3595, Toronto). */
@Entity({ tableName: 'health_region' })
@Check({ name: 'health_region_population_check', expression: 'population >= 0' })
export class HealthRegion extends ReferenceEntity {
  [PrimaryKeyProp]?: 'hrUid';

  @PrimaryKey({ type: 'integer', autoincrement: false })
  hrUid: number;

  @ManyToOne(() => Province, { fieldName: 'province_geo_code' })
  @Index({ name: 'health_region_province_geo_code_index' })
  province: Rel<Province>;

  @Property({ type: 'string', length: 255 })
  nameEn: string;

  @Property({ type: 'string', length: 255 })
  nameFr: string;

  @Property({ type: 'string', length: 255 })
  shortNameEn: string;

  @Property({ type: 'string', length: 255 })
  shortNameFr: string;

  /** 2018 population. */
  @Property({ type: 'integer', nullable: true })
  population: number | null;

  @Property({ type: 'string', length: 255, nullable: true })
  websiteEn: string | null;

  @Property({ type: 'string', length: 255, nullable: true })
  websiteFr: string | null;

  @OneToMany('FsaHealthRegion', 'healthRegion')
  fsas = new Collection<FsaHealthRegion>(this);

  constructor(fields: {
    hrUid: number;
    province: Rel<Province>;
    nameEn: string;
    nameFr: string;
    shortNameEn: string;
    shortNameFr: string;
    population?: number | null;
    websiteEn?: string | null;
    websiteFr?: string | null;
  }) {
    super();
    this.hrUid = fields.hrUid;
    this.province = fields.province;
    this.nameEn = fields.nameEn;
    this.nameFr = fields.nameFr;
    this.shortNameEn = fields.shortNameEn;
    this.shortNameFr = fields.shortNameFr;
    this.population = fields.population ?? null;
    this.websiteEn = fields.websiteEn ?? null;
    this.websiteFr = fields.websiteFr ?? null;
  }
}
