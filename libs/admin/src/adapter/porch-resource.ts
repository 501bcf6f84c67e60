import {
  CheckConstraintViolationException,
  ReferenceKind,
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
  type QueryOrderMap,
} from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';
import {
  BaseRecord,
  BaseResource,
  flat,
  NotFoundError,
  ValidationError,
  type ActionContext,
  type Filter,
  type ParamsType,
  type PropertyErrors,
} from 'adminjs';
import { User } from '#porch/accounts';
import { NOT_DELETED, ProblemException } from '#porch/core';
import { AuditAction, AuditLog, type AuditChanges } from '../audit/audit-log.entity.js';
import type { SqlQuery } from '../exports/export-definition.js';
import { diff, snapshot, type Snapshot } from './changes.js';
import { coerce } from './coerce.js';
import { PorchProperty } from './property.js';
import { filterValues, isUuid, isUuidProperty, toWhere, type FilterValues } from './where.js';

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
  /** Extra values written along with clearing `deletedAt` (User: `{ isActive: true }`). */
  onRestore?: Readonly<Record<string, unknown>>;
  /** No create, update, delete or restore (AuditLog, AuthToken). */
  readOnly?: boolean;
  /** Paths the list's search box looks in (Django's `search_fields`), e.g. `host.name`. */
  searchFields?: readonly string[];
  /** The only properties a form may write (default: every non-managed one). */
  writableFields?: readonly string[];
  /** A record's name wherever it is shown (`recordTitle`), when no single column names it. */
  titleOf?: (entity: AnyEntity) => string;
  /** Relations `titleOf` reads, loaded with every read. */
  populate?: readonly string[];
  /** Relation → the related entity's field to sort by (its title), so sorting reads as shown. */
  referenceSort?: Readonly<Record<string, string>>;
  /** Runs in the change's transaction, after it (User: revoke tokens when the password changes). */
  onWrite?: (em: EntityManager, entity: AnyEntity, change: WriteEvent) => Promise<void>;
  /** Database constraints → the field they concern and a message an administrator can act on. */
  constraints?: Readonly<Record<string, { property?: string; message: string }>>;
}

/** What `onWrite` learns about a change. */
export interface WriteEvent {
  action: AuditAction;
  changes: AuditChanges;
}

/** The virtual param holding `titleOf(entity)`. */
export const TITLE_PARAM = 'recordTitle';

/** Where a form-level message goes: AdminJS counts a record valid while no property has an error. */
export const FORM_ERROR = 'form';

export interface PorchResourceArgs {
  model: EntityClass<AnyEntity>;
  orm: MikroORM;
  porch?: PorchResourceSettings;
}

type Row = Record<string, unknown>;

/** Never accepted from a form: keys, timestamps the ORM keeps, and soft-delete state. */
const MANAGED = new Set(['createdAt', 'updatedAt', 'deletedAt']);

/** A ValidationError AdminJS reports as a failure: with at least one property error. */
export function formError(message: string, property?: string): ValidationError {
  return new ValidationError(
    { [property ?? FORM_ERROR]: { message, type: 'invalid' } } as PropertyErrors,
    {
      message,
      type: 'invalid',
    },
  );
}

/**
 * The panel's adapter over MikroORM, in place of @adminjs/mikroorm 4.1's Resource, which gets
 * these wrong:
 * - form values are cleaned per column type before MikroORM sees them (coerce.ts): AdminJS hands
 *   dates over as Date objects, numbers as numbers, empty fields as '', which MikroORM refused
 *   (a birthdate) or stored wrongly (an empty number as 0); bad values are errors on their field;
 * - a refusal is always reported as one: AdminJS counts a record valid while no *property* has
 *   an error, so 4.1's form-level errors showed "Successfully updated" and saved nothing;
 * - every operation runs on its own EntityManager fork, with the `notDeleted` filter off, so
 *   soft-deleted rows stay visible (and restorable) in the panel;
 * - delete soft-deletes entities that have `deletedAt`, and `restore` undoes it;
 * - uuid columns filter by equality, text by icontains, `q` searches the search fields;
 *   relations sort by the related record's title;
 * - every create/update/delete/restore writes an AuditLog row in the same transaction.
 */
export class PorchResource extends BaseResource {
  private readonly ormRef: MikroORM;
  private readonly entityClass: EntityClass<AnyEntity>;
  readonly meta: EntityMetadata<AnyEntity>;
  readonly settings: Required<
    Omit<PorchResourceSettings, 'titleOf' | 'onWrite' | 'writableFields'>
  > &
    Pick<PorchResourceSettings, 'titleOf' | 'onWrite' | 'writableFields'>;
  private readonly secretSet: ReadonlySet<string>;
  private readonly props: Record<string, PorchProperty>;

  static override isAdapterFor(args?: Partial<PorchResourceArgs>): boolean {
    return !!args?.model?.name && !!args.orm?.getMetadata().find(args.model.name);
  }

  constructor(args: PorchResourceArgs) {
    super(args.model);
    this.ormRef = args.orm;
    this.entityClass = args.model;
    this.meta = args.orm.getMetadata().get(args.model.name);
    const porch = args.porch ?? {};
    this.settings = {
      secrets: porch.secrets ?? [],
      settableSecrets: porch.settableSecrets ?? [],
      onSoftDelete: porch.onSoftDelete ?? {},
      onRestore: porch.onRestore ?? {},
      readOnly: porch.readOnly ?? false,
      searchFields: porch.searchFields ?? [],
      writableFields: porch.writableFields,
      titleOf: porch.titleOf,
      populate: porch.populate ?? [],
      referenceSort: porch.referenceSort ?? {},
      onWrite: porch.onWrite,
      constraints: porch.constraints ?? {},
    };
    this.secretSet = new Set(this.settings.secrets);
    this.props = {};
    let position = 0;
    for (const prop of Object.values(this.meta.properties)) {
      if (!SCALAR_KINDS.has(prop.kind) || prop.persist === false) continue;
      this.props[prop.name] = new PorchProperty(prop, position++);
    }
  }

  override databaseName(): string {
    return 'porch';
  }

  override databaseType(): string {
    return 'postgresql';
  }

  override id(): string {
    return this.meta.className;
  }

  name(): string {
    return this.meta.className;
  }

  override properties(): PorchProperty[] {
    return Object.values(this.props);
  }

  override property(path: string): PorchProperty {
    // AdminJS asks for paths it knows are not columns (virtual fields): null is its "none".
    return this.props[path] ?? (null as unknown as PorchProperty);
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

  private findOptions(): FindOptions<AnyEntity, string> {
    return {
      filters: { [NOT_DELETED]: false },
      populate: this.settings.populate as never,
    };
  }

  /** An id that cannot exist (e.g. not a uuid for a uuid key) finds nothing, without SQL errors. */
  private validId(id: unknown): boolean {
    if (id === undefined || id === null || id === '') return false;
    return isUuidProperty(this.meta.properties[this.pk]) ? isUuid(String(id)) : true;
  }

  private toParams(entity: AnyEntity): Row {
    const params = wrap(entity).toObject() as Row;
    for (const secret of this.settings.secrets) delete params[secret];
    for (const property of this.properties()) {
      const name = property.name();
      const value = params[name];
      if (value === undefined || value === null) continue;
      // JSON columns read as text: AdminJS would otherwise flatten them into unknown sub-fields.
      if (property.kind === 'json') params[name] = JSON.stringify(value, null, 2);
      // A populated relation serializes as an object; the form and the populator want its key.
      else if (property.kind === 'reference' && typeof value === 'object') {
        params[name] = (value as Row)[property.prop.targetMeta?.primaryKeys[0] ?? 'id'];
      }
    }
    if (this.settings.titleOf) params[TITLE_PARAM] = this.settings.titleOf(entity);
    return params;
  }

  private toRecord(entity: AnyEntity): BaseRecord {
    return new BaseRecord(this.toParams(entity), this);
  }

  /** The where clause of a list: its filters and its search. */
  where(filters: FilterValues): ReturnType<typeof toWhere> {
    return toWhere(this.meta, filters, this.settings.searchFields);
  }

  override async count(filter: Filter): Promise<number> {
    return this.fork().count(this.entityClass, this.where(filterValues(filter)), {
      filters: { [NOT_DELETED]: false },
    });
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
    const orderBy: QueryOrderMap<AnyEntity> = {};
    const sortProp = sort.sortBy ? this.props[sort.sortBy] : undefined;
    if (sortProp?.isSortable()) {
      const byTitle = this.settings.referenceSort[sortProp.name()];
      orderBy[sortProp.name()] = byTitle ? { [byTitle]: direction } : direction;
    }
    orderBy[this.pk] ??= direction; // a stable order across pages
    const rows = await this.fork().find(this.entityClass, this.where(filterValues(filter)), {
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

  /**
   * The primary keys of a list (its filters and search, or the given ids) as a subquery, for
   * exports that must contain exactly the rows an administrator is looking at.
   */
  scopeQuery(filters: FilterValues, ids?: readonly string[]): SqlQuery {
    const em = this.fork() as SqlEntityManager;
    const qb = em.createQueryBuilder(this.entityClass, 'scope');
    const columns = this.meta.primaryKeys.flatMap(
      (key) => this.meta.properties[key].fieldNames ?? [key],
    );
    qb.select(columns.map((c) => `scope.${c}`));
    if (ids) qb.where({ [this.pk]: { $in: ids.filter((id) => this.validId(id)) } });
    else qb.where(this.where(filters));
    return { text: qb.getQuery(), values: qb.getParams() as unknown[] };
  }

  override async create(params: Row, context?: ActionContext): Promise<ParamsType> {
    this.assertWritable();
    return this.write(async (em) => {
      const data = await this.writable(em, params);
      const entity = em.create(this.entityClass, data as EntityData<AnyEntity>);
      await em.flush();
      const changes = diff(null, this.snap(entity), this.secretSet);
      this.audit(em, context, AuditAction.Create, entity, changes);
      await this.settings.onWrite?.(em, entity, { action: AuditAction.Create, changes });
      return entity;
    });
  }

  override async update(
    pk: string | number,
    params: Row = {},
    context?: ActionContext,
  ): Promise<ParamsType> {
    this.assertWritable();
    return this.write(async (em) => {
      const entity = await this.load(em, pk);
      const before = this.snap(entity);
      const data = await this.writable(em, params);
      wrap(entity).assign(data as EntityData<AnyEntity>, { em });
      await em.flush();
      const changes = diff(before, this.snap(entity), this.secretSet);
      if (Object.keys(changes).length) {
        this.audit(em, context, AuditAction.Update, entity, changes);
        await this.settings.onWrite?.(em, entity, { action: AuditAction.Update, changes });
      }
      return entity;
    });
  }

  /** Soft-deletes when the entity has `deletedAt` (a no-op if already deleted), else deletes. */
  override async delete(pk: string | number, context?: ActionContext): Promise<void> {
    this.assertWritable();
    await this.write(async (em) => {
      const entity = await this.load(em, pk);
      const before = this.snap(entity);
      let changes: AuditChanges;
      if (this.softDeletable) {
        if ((entity as Row).deletedAt) return entity;
        wrap(entity).assign({
          ...this.settings.onSoftDelete,
          deletedAt: new Date(),
        } as EntityData<AnyEntity>);
        await em.flush();
        changes = diff(before, this.snap(entity), this.secretSet);
      } else {
        changes = diff(before, null, this.secretSet);
        em.remove(entity);
        await em.flush();
      }
      this.audit(em, context, AuditAction.Delete, entity, changes);
      await this.settings.onWrite?.(em, entity, { action: AuditAction.Delete, changes });
      return entity;
    });
  }

  /** Clears `deletedAt`, with the resource's `onRestore` values (a restored user is active). */
  async restore(pk: string | number, context?: ActionContext): Promise<ParamsType> {
    this.assertWritable();
    if (!this.softDeletable) throw formError('This record cannot be restored');
    return this.write(async (em) => {
      const entity = await this.load(em, pk);
      if (!(entity as Row).deletedAt) return entity;
      const before = this.snap(entity);
      wrap(entity).assign({
        ...this.settings.onRestore,
        deletedAt: null,
      } as EntityData<AnyEntity>);
      await em.flush();
      const changes = diff(before, this.snap(entity), this.secretSet);
      this.audit(em, context, AuditAction.Restore, entity, changes);
      await this.settings.onWrite?.(em, entity, { action: AuditAction.Restore, changes });
      return entity;
    });
  }

  /**
   * A change made by a domain service (deactivating a user, canceling an invite), audited like
   * the panel's own: `work` runs in a transaction with the row locked, and the audit row records
   * the fields that differ afterwards.
   */
  async audited(
    pk: string | number,
    context: ActionContext | undefined,
    work: (em: EntityManager, entity: AnyEntity) => Promise<void>,
  ): Promise<AuditChanges> {
    let changes: AuditChanges = {};
    await this.write(async (em) => {
      const entity = await this.load(em, pk);
      const before = this.snap(entity);
      await work(em, entity);
      const after = await em.findOneOrFail(
        this.entityClass,
        { [this.pk]: pk },
        { filters: { [NOT_DELETED]: false }, refresh: true },
      );
      changes = diff(before, this.snap(after), this.secretSet);
      if (Object.keys(changes).length) this.audit(em, context, AuditAction.Update, after, changes);
      return after;
    });
    return changes;
  }

  private assertWritable(): void {
    if (this.settings.readOnly) throw formError(`${this.id()} is read-only`);
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
          { filters: { [NOT_DELETED]: false }, lockMode: LockMode.PESSIMISTIC_WRITE },
        )
      : null;
    if (!entity) throw new NotFoundError(`No ${this.id()} with id ${pk}`, 'PorchResource');
    return entity;
  }

  /**
   * Form params → entity data: the writable properties only (never keys, managed columns or
   * secrets), each cleaned for its column type; any bad value fails the whole form, each
   * message on its field.
   */
  private async writable(em: EntityManager, params: Row): Promise<Row> {
    const data = flat.unflatten(params) as Row;
    const out: Row = {};
    const errors: PropertyErrors = {};
    const allowed = this.settings.writableFields;
    for (const [key, value] of Object.entries(data)) {
      const prop = this.meta.properties[key];
      if (!prop || prop.primary || MANAGED.has(key) || !SCALAR_KINDS.has(prop.kind)) continue;
      const secret = this.secretSet.has(key);
      if (secret && !this.settings.settableSecrets.includes(key)) continue;
      if (!secret && allowed && !allowed.includes(key)) continue;
      if (value === undefined) continue;
      const cleaned = secret ? { ok: true as const, value } : coerce(prop, value);
      if (!cleaned.ok) {
        errors[key] = { message: cleaned.message, type: 'invalid' };
        continue;
      }
      if (this.props[key]?.kind === 'reference' && cleaned.value !== null) {
        const target = prop.targetMeta!;
        const found = await em.count(
          target.class,
          { [target.primaryKeys[0]]: cleaned.value },
          { filters: false },
        );
        if (!found) {
          errors[key] = {
            message: 'Select a valid choice: that record does not exist.',
            type: 'invalid',
          };
          continue;
        }
      }
      out[key] = cleaned.value;
    }
    if (Object.keys(errors).length) {
      throw new ValidationError(errors, {
        message: 'Please correct the errors below.',
        type: 'invalid',
      });
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

  /** A constraint's name → the property it is about: `parties_postal_code_format` → postalCode. */
  private propertyOfConstraint(constraint: string | undefined): string | undefined {
    if (!constraint) return undefined;
    const known = this.settings.constraints[constraint];
    if (known) return known.property;
    return Object.values(this.meta.properties).find((p) =>
      (p.fieldNames ?? []).some(
        (f) => constraint.includes(`_${f}_`) || constraint.endsWith(`_${f}`),
      ),
    )?.name;
  }

  /** Maps what the database refused to a message on the field it concerns, or on the form. */
  private toValidationError(error: unknown): unknown {
    if (error instanceof ValidationError) {
      // Form-level only: AdminJS would count the record as valid and report success.
      if (!Object.keys(error.propertyErrors ?? {}).length)
        return formError(error.baseError?.message ?? 'The change was refused');
      return error;
    }
    if (error instanceof NotFoundError) return error;
    // A domain service's refusal (an invite that can no longer be canceled: 409).
    if (error instanceof ProblemException) {
      const body = error.getResponse() as { detail?: string; title?: string };
      return formError(body.detail ?? body.title ?? error.message);
    }
    const constraintName = (error as { constraint?: string }).constraint;
    const known = constraintName ? this.settings.constraints[constraintName] : undefined;
    if (known) return formError(known.message, known.property);
    if (error instanceof UniqueConstraintViolationException) {
      const detail = (error as { detail?: string }).detail ?? '';
      const column = /^Key \(([^)]+)\)=/.exec(detail)?.[1]?.split(',')[0]?.trim();
      const property = this.propertyOfColumn(column) ?? this.propertyOfConstraint(constraintName);
      return formError(
        property
          ? `Another ${this.id()} already has this ${property}`
          : 'A record with the same unique value already exists',
        property,
      );
    }
    if (error instanceof NotNullConstraintViolationException) {
      const property = this.propertyOfColumn((error as { column?: string }).column);
      return formError(`${property ?? 'A required field'} is required`, property);
    }
    if (error instanceof CheckConstraintViolationException) {
      return formError(
        `The change breaks the rule ${constraintName ?? 'a check'}`,
        this.propertyOfConstraint(constraintName),
      );
    }
    if (error instanceof ForeignKeyConstraintViolationException) {
      return formError('The record refers to a missing record, or other records refer to it');
    }
    if (error instanceof DriverException) {
      const code = (error as { code?: string }).code;
      return formError(`The database refused the change${code ? ` (${code})` : ''}`);
    }
    if (error instanceof OrmValidationError) return formError(error.message);
    return error;
  }
}

const SCALAR_KINDS = new Set<string>([
  ReferenceKind.SCALAR,
  ReferenceKind.MANY_TO_ONE,
  ReferenceKind.ONE_TO_ONE,
]);
