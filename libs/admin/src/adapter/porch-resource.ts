import { Resource } from '@adminjs/mikroorm';
import {
  CheckConstraintViolationException,
  DriverException,
  ForeignKeyConstraintViolationException,
  LockMode,
  NotNullConstraintViolationException,
  UniqueConstraintViolationException,
  ValidationError as OrmValidationError,
  wrap,
  type AnyEntity,
  type EntityClass,
  type EntityData,
  type EntityManager,
  type EntityMetadata,
  type FindOptions,
  type MikroORM,
} from '@mikro-orm/core';
import {
  BaseRecord,
  flat,
  NotFoundError,
  ValidationError,
  type ActionContext,
  type Filter,
  type ParamsType,
  type PropertyErrors,
} from 'adminjs';
import { User } from '#porch/accounts';
import { NOT_DELETED } from '#porch/core';
import { AuditAction, AuditLog, type AuditChanges } from '../audit/audit-log.entity.js';
import { diff, snapshot, type Snapshot } from './changes.js';
import { isUuid, isUuidProperty, toWhere } from './where.js';

/** Per-resource settings the adapter needs (the rest is AdminJS resource options). */
export interface PorchResourceSettings {
  /** Never shown, never taken from a form, redacted in the audit log. */
  secrets?: readonly string[];
  /**
   * Secrets this resource's own `before` hooks prepare and so may be written (User: `password`,
   * hashed from the form's `newPassword` after the hook dropped any raw value).
   */
  settableSecrets?: readonly string[];
  /** Extra values written when a row is soft-deleted (User: `{ isActive: false }`). */
  onSoftDelete?: Readonly<Record<string, unknown>>;
  /** No create, update, delete or restore (AuditLog, AuthToken). */
  readOnly?: boolean;
}

export interface PorchResourceArgs {
  model: EntityClass<AnyEntity>;
  orm: MikroORM;
  porch?: PorchResourceSettings;
}

type Row = Record<string, unknown>;

/** Never accepted from a form: keys, timestamps the ORM keeps, and soft-delete state. */
const MANAGED = new Set(['createdAt', 'updatedAt', 'deletedAt']);

/**
 * @adminjs/mikroorm 4.1's Resource with its gaps closed, overriding only what it gets wrong:
 * - every operation runs on its own EntityManager fork, with the `notDeleted` filter off, so
 *   soft-deleted rows stay visible (and restorable) in the panel;
 * - delete soft-deletes entities that have `deletedAt` (4.1 calls nativeDelete), and `restore`
 *   undoes it;
 * - save errors surface as AdminJS ValidationErrors (4.1 logs and swallows most of them, so a
 *   duplicate email showed "successfully updated");
 * - uuid columns filter by equality, not LIKE (which PostgreSQL rejects for uuid);
 * - every create/update/delete/restore writes an AuditLog row in the same transaction.
 */
export class PorchResource extends Resource {
  private readonly ormRef: MikroORM;
  private readonly entityClass: EntityClass<AnyEntity>;
  private readonly meta: EntityMetadata<AnyEntity>;
  readonly settings: Required<PorchResourceSettings>;
  private readonly secretSet: ReadonlySet<string>;

  constructor(args: PorchResourceArgs) {
    super(args);
    this.ormRef = args.orm;
    this.entityClass = args.model;
    this.meta = args.orm.getMetadata().get(args.model.name);
    this.settings = {
      secrets: args.porch?.secrets ?? [],
      settableSecrets: args.porch?.settableSecrets ?? [],
      onSoftDelete: args.porch?.onSoftDelete ?? {},
      readOnly: args.porch?.readOnly ?? false,
    };
    this.secretSet = new Set(this.settings.secrets);
  }

  /** Soft-deletable: the entity has a `deletedAt` column. */
  get softDeletable(): boolean {
    return 'deletedAt' in this.meta.properties;
  }

  private get pk(): string {
    return this.meta.primaryKeys[0];
  }

  private fork(): EntityManager {
    return this.ormRef.em.fork({ clear: true });
  }

  private findOptions(): FindOptions<AnyEntity> {
    return { filters: { [NOT_DELETED]: false } };
  }

  /** An id that cannot exist (e.g. not a uuid for a uuid key) finds nothing, without SQL errors. */
  private validId(id: unknown): boolean {
    if (id === undefined || id === null || id === '') return false;
    return isUuidProperty(this.meta.properties[this.pk]) ? isUuid(String(id)) : true;
  }

  private toParams(entity: AnyEntity): Row {
    const params = wrap(entity).toObject() as Row;
    for (const secret of this.settings.secrets) delete params[secret];
    for (const prop of Object.values(this.meta.properties)) {
      const value = params[prop.name];
      // JSON columns read as text: AdminJS would otherwise flatten them into unknown sub-fields.
      if (prop.columnTypes?.[0]?.startsWith('json') && value !== undefined && value !== null) {
        params[prop.name] = JSON.stringify(value, null, 2);
      }
    }
    return params;
  }

  private toRecord(entity: AnyEntity): BaseRecord {
    return new BaseRecord(this.toParams(entity), this);
  }

  override async count(filter: Filter): Promise<number> {
    return this.fork().count(this.entityClass, toWhere(this.meta, filter), this.findOptions());
  }

  override async find(
    filter: Filter,
    params: {
      limit?: number;
      offset?: number;
      sort?: { sortBy?: string; direction?: 'asc' | 'desc' };
    } = {},
  ): Promise<BaseRecord[]> {
    const { limit = 10, offset = 0, sort = {} } = params;
    const direction = sort.direction === 'desc' ? 'desc' : 'asc';
    const orderBy: Record<string, 'asc' | 'desc'> = {};
    if (sort.sortBy && sort.sortBy in this.meta.properties) orderBy[sort.sortBy] = direction;
    orderBy[this.pk] ??= direction; // a stable order across pages
    const rows = await this.fork().find(this.entityClass, toWhere(this.meta, filter), {
      ...this.findOptions(),
      orderBy,
      limit,
      offset,
    });
    return rows.map((row) => this.toRecord(row));
  }

  override async findOne(id: string | number): Promise<BaseRecord | null> {
    if (!this.validId(id)) return null;
    const row = await this.fork().findOne(this.entityClass, { [this.pk]: id }, this.findOptions());
    return row ? this.toRecord(row) : null;
  }

  override async findMany(ids: Array<string | number>): Promise<BaseRecord[]> {
    const valid = ids.filter((id) => this.validId(id));
    if (!valid.length) return [];
    const rows = await this.fork().find(
      this.entityClass,
      { [this.pk]: { $in: valid } },
      this.findOptions(),
    );
    return rows.map((row) => this.toRecord(row));
  }

  override async create(params: Row, context?: ActionContext): Promise<ParamsType> {
    this.assertWritable();
    const data = this.writable(params);
    return this.write(async (em) => {
      const entity = em.create(this.entityClass, data as EntityData<AnyEntity>);
      await em.flush();
      this.audit(
        em,
        context,
        AuditAction.Create,
        entity,
        diff(null, this.snap(entity), this.secretSet),
      );
      return entity;
    });
  }

  override async update(
    pk: string | number,
    params: Row = {},
    context?: ActionContext,
  ): Promise<ParamsType> {
    this.assertWritable();
    const data = this.writable(params);
    return this.write(async (em) => {
      const entity = await this.load(em, pk);
      const before = this.snap(entity);
      wrap(entity).assign(data as EntityData<AnyEntity>, { em });
      await em.flush();
      const changes = diff(before, this.snap(entity), this.secretSet);
      if (Object.keys(changes).length) this.audit(em, context, AuditAction.Update, entity, changes);
      return entity;
    });
  }

  /** Soft-deletes when the entity has `deletedAt` (a no-op if already deleted), else deletes. */
  override async delete(pk: string | number, context?: ActionContext): Promise<void> {
    this.assertWritable();
    await this.write(async (em) => {
      const entity = await this.load(em, pk);
      const before = this.snap(entity);
      if (this.softDeletable) {
        if ((entity as Row).deletedAt) return entity;
        wrap(entity).assign({
          ...this.settings.onSoftDelete,
          deletedAt: new Date(),
        } as EntityData<AnyEntity>);
        await em.flush();
        this.audit(
          em,
          context,
          AuditAction.Delete,
          entity,
          diff(before, this.snap(entity), this.secretSet),
        );
      } else {
        const changes = diff(before, null, this.secretSet);
        em.remove(entity);
        await em.flush();
        this.audit(em, context, AuditAction.Delete, entity, changes);
      }
      return entity;
    });
  }

  /**
   * Clears `deletedAt`. Nothing else is undone: a restored user stays inactive until an
   * administrator re-activates them on purpose (deletion may have been a lock-out).
   */
  async restore(pk: string | number, context?: ActionContext): Promise<ParamsType> {
    this.assertWritable();
    if (!this.softDeletable)
      throw new ValidationError({}, { message: 'This record cannot be restored' });
    return this.write(async (em) => {
      const entity = await this.load(em, pk);
      if (!(entity as Row).deletedAt) return entity;
      const before = this.snap(entity);
      wrap(entity).assign({ deletedAt: null } as EntityData<AnyEntity>);
      await em.flush();
      this.audit(
        em,
        context,
        AuditAction.Restore,
        entity,
        diff(before, this.snap(entity), this.secretSet),
      );
      return entity;
    });
  }

  private assertWritable(): void {
    if (this.settings.readOnly) {
      throw new ValidationError({}, { message: `${this.id()} is read-only`, type: 'readOnly' });
    }
  }

  private snap(entity: AnyEntity): Snapshot {
    return snapshot(this.meta, entity);
  }

  /** The row, locked for the rest of the transaction so its audit `from` values hold. */
  private async load(em: EntityManager, pk: string | number): Promise<AnyEntity> {
    const entity = this.validId(pk)
      ? await em.findOne(
          this.entityClass,
          { [this.pk]: pk },
          { ...this.findOptions(), lockMode: LockMode.PESSIMISTIC_WRITE },
        )
      : null;
    if (!entity) throw new NotFoundError(`No ${this.id()} with id ${pk}`, 'PorchResource');
    return entity;
  }

  /** Form params → entity data: known properties only, never keys, managed columns or secrets. */
  private writable(params: Row): Row {
    const data = flat.unflatten(params) as Row;
    const out: Row = {};
    for (const [key, value] of Object.entries(data)) {
      const prop = this.meta.properties[key];
      if (!prop || prop.primary || MANAGED.has(key)) continue;
      if (this.secretSet.has(key) && !this.settings.settableSecrets.includes(key)) continue;
      out[key] = value;
    }
    return out;
  }

  private audit(
    em: EntityManager,
    context: ActionContext | undefined,
    action: AuditAction,
    entity: AnyEntity,
    changes: AuditChanges,
  ): void {
    const admin = context?.currentAdmin;
    const actor = admin?.id && isUuid(admin.id) ? em.getReference(User, admin.id) : null;
    const recordId = String((entity as Row)[this.pk]);
    em.persist(new AuditLog(actor, admin?.email ?? 'system', action, this.id(), recordId, changes));
  }

  /** Runs a change and its audit row in one transaction; database errors become form errors. */
  private async write(work: (em: EntityManager) => Promise<AnyEntity>): Promise<ParamsType> {
    try {
      const entity = await this.fork().transactional(async (em) => {
        const result = await work(em);
        await em.flush();
        return result;
      });
      return flat.flatten(this.toParams(entity));
    } catch (error) {
      throw this.toValidationError(error);
    }
  }

  private propertyOfColumn(column: string | undefined): string | undefined {
    if (!column) return undefined;
    return Object.values(this.meta.properties).find((p) => p.fieldNames?.includes(column))?.name;
  }

  /** Maps what the database refused to a message on the field it concerns, or on the form. */
  private toValidationError(error: unknown): unknown {
    if (error instanceof ValidationError || error instanceof NotFoundError) return error;
    const fail = (message: string, property?: string) =>
      new ValidationError(
        property ? ({ [property]: { message, type: 'database' } } as PropertyErrors) : {},
        { message, type: 'database' },
      );
    if (error instanceof UniqueConstraintViolationException) {
      const detail = (error as { detail?: string }).detail ?? '';
      const column = /^Key \(([^)]+)\)=/.exec(detail)?.[1]?.split(',')[0]?.trim();
      const property = this.propertyOfColumn(column);
      return fail(
        property
          ? `Another ${this.id()} already has this ${property}`
          : 'A record with the same unique value already exists',
        property,
      );
    }
    if (error instanceof NotNullConstraintViolationException) {
      const property = this.propertyOfColumn((error as { column?: string }).column);
      return fail(`${property ?? 'A required field'} is required`, property);
    }
    if (error instanceof CheckConstraintViolationException) {
      const constraint = (error as { constraint?: string }).constraint ?? 'a check';
      return fail(`The change breaks the rule ${constraint}`);
    }
    if (error instanceof ForeignKeyConstraintViolationException) {
      return fail('The record refers to a missing record, or other records refer to it');
    }
    if (error instanceof DriverException) {
      const code = (error as { code?: string }).code;
      return fail(`The database refused the change${code ? ` (${code})` : ''}`);
    }
    if (error instanceof OrmValidationError) return fail(error.message);
    return error;
  }
}
