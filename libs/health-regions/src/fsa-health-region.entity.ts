import {
  Check,
  Entity,
  Index,
  ManyToOne,
  PrimaryKey,
  PrimaryKeyProp,
  Property,
  type Rel,
} from '@mikro-orm/core';
import { HealthRegion } from './health-region.entity.js';
import { Province } from './province.entity.js';
import { ReferenceEntity } from './reference.entity.js';

/**
 * The part of a forward sortation area (first three characters of a postal code) that lies in
 * one health region. An FSA can straddle several regions, hence the key `(fsa, hr_uid)`.
 */
@Entity({ tableName: 'fsa_health_region' })
@Check({
  name: 'fsa_health_region_fsa_check',
  expression: `fsa ~ '^[ABCEGHJ-NPRSTVXY][0-9][A-Z]$'`,
})
@Check({
  name: 'fsa_health_region_estimated_population_check',
  expression: 'estimated_population >= 0',
})
export class FsaHealthRegion extends ReferenceEntity {
  [PrimaryKeyProp]?: ['fsa', 'healthRegion'];

  @PrimaryKey({ type: 'string', columnType: 'char(3)' })
  fsa: string;

  @ManyToOne(() => HealthRegion, { primary: true, fieldName: 'hr_uid' })
  @Index({ name: 'fsa_health_region_hr_uid_index' })
  healthRegion: Rel<HealthRegion>;

  @ManyToOne(() => Province, { fieldName: 'province_geo_code' })
  province: Rel<Province>;

  /** People of this FSA living in this region; null where the source has no estimate. */
  @Property({ type: 'integer', nullable: true })
  estimatedPopulation: number | null;

  constructor(fields: {
    fsa: string;
    healthRegion: Rel<HealthRegion>;
    province: Rel<Province>;
    estimatedPopulation?: number | null;
  }) {
    super();
    this.fsa = fields.fsa;
    this.healthRegion = fields.healthRegion;
    this.province = fields.province;
    this.estimatedPopulation = fields.estimatedPopulation ?? null;
  }
}
