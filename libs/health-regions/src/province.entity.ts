import {
  Check,
  Collection,
  Entity,
  OneToMany,
  PrimaryKey,
  PrimaryKeyProp,
  Property,
} from '@mikro-orm/core';
import type { ProvinceRow } from './health-regions.dataset.js';
import type { HealthRegion } from './health-region.entity.js';
import { ReferenceEntity } from './reference.entity.js';

/** A province or territory, keyed by its Statistics Canada SGC code (e.g. 35 for Ontario). */
@Entity({ tableName: 'province' })
@Check({ name: 'province_alpha_code_check', expression: `alpha_code ~ '^[A-Z]{2}$'` })
export class Province extends ReferenceEntity {
  [PrimaryKeyProp]?: 'geoCode';

  @PrimaryKey({ type: 'integer', autoincrement: false })
  geoCode: number;

  /** Two-letter postal abbreviation, e.g. `ON`. */
  @Property({ type: 'string', columnType: 'char(2)', unique: true })
  alphaCode: string;

  @Property({ type: 'string', length: 100 })
  nameEn: string;

  @Property({ type: 'string', length: 100 })
  nameFr: string;

  /** The part of Canada it belongs to, e.g. `Atlantic`. */
  @Property({ type: 'string', length: 100 })
  regionEn: string;

  @Property({ type: 'string', length: 100 })
  regionFr: string;

  @OneToMany('HealthRegion', 'province')
  healthRegions = new Collection<HealthRegion>(this);

  constructor(fields: ProvinceRow) {
    super();
    this.geoCode = fields.geoCode;
    this.alphaCode = fields.alphaCode;
    this.nameEn = fields.nameEn;
    this.nameFr = fields.nameFr;
    this.regionEn = fields.regionEn;
    this.regionFr = fields.regionFr;
  }
}
