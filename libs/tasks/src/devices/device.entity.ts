import { Entity, Enum, ManyToOne, Opt, Property, Unique, type Rel } from '@mikro-orm/core';
import { User } from '#porch/accounts';
import { BaseEntity } from '#porch/core';

/** A const object + union, not a TS enum: see `Operator` (Swagger plugin under ESM). */
export const Platform = {
  Android: 'android',
  Ios: 'ios',
} as const;
export type Platform = (typeof Platform)[keyof typeof Platform];
export const PLATFORMS: readonly Platform[] = Object.values(Platform);

/**
 * A learner's tablet or phone. One row per (user, platform, model, OS version): sessions that
 * name the same device share the row (see SessionsService), so devices can be counted and
 * grouped; `details` keeps the latest free-form facts the app sent (merged key by key).
 */
@Entity({ tableName: 'devices' })
@Unique({
  name: 'devices_user_platform_model_os_unique',
  properties: ['user', 'platform', 'model', 'osVersion'],
})
export class Device extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  @Enum({ items: () => PLATFORMS as Platform[] })
  platform: Platform;

  @Property({ type: 'varchar', length: 100 })
  model: string;

  @Property({ type: 'varchar', length: 50 })
  osVersion: string;

  @Property({ type: 'jsonb', default: '{}' })
  details: Record<string, unknown> & Opt = {};

  constructor(user: Rel<User>, platform: Platform, model: string, osVersion: string) {
    super();
    this.user = user;
    this.platform = platform;
    this.model = model;
    this.osVersion = osVersion;
  }
}
