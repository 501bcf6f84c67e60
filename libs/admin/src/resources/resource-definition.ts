import type { AnyEntity, EntityClass, EntityMetadata, MikroORM } from '@mikro-orm/core';
import type { Type } from '@nestjs/common';
import {
  ValidationError,
  type Action,
  type ActionRequest,
  type ActionResponse,
  type PropertyOptions,
  type ResourceOptions,
  type ResourceWithOptions,
} from 'adminjs';
import { PasswordHasher, PasswordPolicy } from '#porch/accounts';
import {
  TITLE_PARAM,
  type PorchResourceArgs,
  type PorchResourceSettings,
} from '../adapter/porch-resource.js';
import { coerce } from '../adapter/coerce.js';
import { columnKind } from '../adapter/property.js';
import { ADMIN_ROOT } from '../admin-root.js';
import { Components } from '../components/index.js';
import type { ExportsService } from '../exports/exports.service.js';
import {
  bulkExportAction,
  bulkRestoreAction,
  exportAction,
  historyAction,
  isDeleted,
  restoreAction,
} from './actions.js';
import { humanize } from './labels.js';

/** Nest providers, for definitions whose hooks need a service. */
export interface AdminServices {
  get<T>(type: Type<T> | (abstract new (...args: never[]) => T)): T;
}

/** What building a resource needs besides its definition. */
export interface BuildContext {
  orm: MikroORM;
  services: AdminServices;
  exports: ExportsService;
  /** Every definition, so relations can sort by the related resource's title. */
  all: readonly AdminResourceDefinition[];
}

/** A read-only table of related records on a record's page (Django's inline). */
export interface InlineDefinition {
  /** The virtual property's name on the record's page, e.g. `invites`. */
  name: string;
  /** The related resource (its id: the entity class name), e.g. `Invite`. */
  resource: string;
  /** Its relation back to this record, e.g. `party`. */
  foreignKey: string;
}

/**
 * One entity in the panel, declaratively. Everything beyond these fields is AdminJS's own
 * ResourceOptions (`options`), merged last.
 */
export interface AdminResourceDefinition {
  entity: EntityClass<AnyEntity>;
  /** Sidebar group: one per module ('Accounts', 'Parties', …). */
  navigation: string;
  /** The resource's name in the sidebar and on the index, plural ("Users"). */
  label: string;
  /**
   * Names a record wherever it is shown, including relations that point to it: a column, or a
   * function of the entity (with `populate` for the relations it reads) when none names it.
   */
  titleProperty: string | ((entity: AnyEntity) => string);
  /** Relations the title reads (loaded with every read). */
  populate?: string[];
  /** The column relations to this resource sort by (default: `titleProperty` when a column). */
  sortTitle?: string;
  listProperties?: string[];
  filterProperties?: string[];
  showProperties?: string[];
  editProperties?: string[];
  /** What the list's search box looks in (Django's `search_fields`), `host.name` for relations. */
  searchFields?: string[];
  /** Field labels beyond the common ones (labels.ts), Django's `verbose_name`. */
  labels?: Record<string, string>;
  /** Labels of enum values, per property: `{ vibe: { chill: 'Chill · 5–10 people' } }`. */
  choices?: Record<string, Record<string, string>>;
  /** Properties the form does not show but its hooks set (Party: `lastEntry`). */
  derived?: string[];
  sort?: { sortBy: string; direction: 'asc' | 'desc' };
  /** Never shown, never accepted from a form, redacted in the audit log. */
  secrets?: string[];
  /**
   * The property holding a password hash: the form gets a write-only `newPassword` field that
   * is checked with the sign-up rules and hashed with PasswordHasher into it.
   */
  passwordProperty?: string;
  /** Extra values written along with `deletedAt` on soft delete (User: `{ isActive: false }`). */
  onSoftDelete?: Record<string, unknown>;
  /** Extra values written when a soft-deleted row is restored (User: `{ isActive: true }`). */
  onRestore?: Record<string, unknown>;
  /** List and show only: no new, edit, delete or restore. */
  readOnly?: boolean;
  /** Name of the export (see exports/definitions) offered as this resource's "Export". */
  exportName?: string;
  /** Related records shown on the record's page. */
  inlines?: InlineDefinition[];
  /** Adapter settings that need services (PorchResource's `onWrite`, `constraints`). */
  adapter?: (services: AdminServices) => Partial<PorchResourceSettings>;
  /** AdminJS resource options, merged over what the fields above produce. */
  options?: (services: AdminServices) => ResourceOptions;
}

export { ADMIN_ROOT };
export const NEW_PASSWORD = 'newPassword';

const NAV_ICONS: Record<string, string> = {
  Accounts: 'Users',
  Parties: 'Home',
  Invites: 'Mail',
  'Health regions': 'Map',
  Tasks: 'Edit3',
  Audit: 'FileText',
};

const hidden: PropertyOptions = {
  isVisible: { list: false, show: false, edit: false, filter: false },
};
const readOnlyField: PropertyOptions = {
  isVisible: { list: true, show: true, edit: false, filter: true },
};

type Payload = Record<string, unknown>;
type Actions = Record<string, Partial<Action<ActionResponse>>>;

/**
 * Before new/edit: drop any raw hash sent by the form; check `newPassword` with sign-up's rules
 * (Django's validators, against the form's email and name) and hash it into the property.
 */
function hashNewPassword(
  hasher: PasswordHasher,
  policy: PasswordPolicy,
  property: string,
  required: boolean,
) {
  return async (request: ActionRequest, context?: { record?: { params: Payload } }) => {
    if (request.method !== 'post') return request;
    const {
      [NEW_PASSWORD]: plain,
      [property]: _raw,
      ...payload
    } = (request.payload ?? {}) as Payload;
    if (typeof plain === 'string' && plain.length > 0) {
      const known = context?.record?.params ?? {};
      const attribute = (key: string) => {
        const value = payload[key] ?? known[key];
        return typeof value === 'string' ? value : undefined;
      };
      const problems = policy.problems(plain, {
        email: attribute('email'),
        name: attribute('name'),
      });
      if (problems.length) {
        throw new ValidationError(
          { [NEW_PASSWORD]: { message: problems.join(' '), type: 'password' } },
          { message: problems.join(' '), type: 'password' },
        );
      }
      payload[property] = await hasher.hash(plain);
    } else if (required) {
      throw new ValidationError(
        { [NEW_PASSWORD]: { message: 'A password is required', type: 'required' } },
        { message: 'A password is required', type: 'required' },
      );
    }
    return { ...request, payload };
  };
}

/**
 * Before new/edit, ahead of AdminJS's param converter (which turns '' into 0 for a number and
 * rolls '2001-02-30' over into March): dates and numbers are checked as typed, each refusal on
 * its field, and an empty one becomes null.
 */
function cleanForm(meta: EntityMetadata<AnyEntity>) {
  return async (request: ActionRequest): Promise<ActionRequest> => {
    if (request.method !== 'post' || !request.payload) return request;
    const payload: Payload = { ...request.payload };
    const errors: Record<string, { message: string; type: string }> = {};
    for (const [key, value] of Object.entries(payload)) {
      const prop = meta.properties[key];
      if (!prop || !['date', 'datetime', 'integer', 'number'].includes(columnKind(prop))) continue;
      if (value === undefined || value === null || value instanceof Date) continue;
      const cleaned = coerce(prop, value);
      if (!cleaned.ok) errors[key] = { message: cleaned.message, type: 'invalid' };
      else if (cleaned.value === null) payload[key] = null;
    }
    if (Object.keys(errors).length) {
      throw new ValidationError(errors, {
        message: 'Please correct the errors below.',
        type: 'invalid',
      });
    }
    return { ...request, payload };
  };
}

/**
 * After new/edit: AdminJS echoes the submitted params back into the record it returns, which
 * would include the freshly hashed password. Take secrets (and the plain new password) out.
 */
function stripSecrets(secrets: readonly string[]) {
  const hiddenKeys = [...secrets, NEW_PASSWORD];
  return async (response: ActionResponse): Promise<ActionResponse> => {
    const params = (response.record as { params?: Payload } | undefined)?.params;
    if (params) {
      for (const key of Object.keys(params)) {
        if (hiddenKeys.some((s) => key === s || key.startsWith(`${s}.`))) delete params[key];
      }
    }
    return response;
  };
}

function chain<H>(first: H | H[] | undefined, second: H | H[] | undefined): H[] | undefined {
  const hooks = [first, second].flatMap((h) => (h === undefined ? [] : Array.isArray(h) ? h : [h]));
  return hooks.length ? hooks : undefined;
}

/** Shallow-merges per key, so a definition's `options` can refine one property or action. */
function mergeOptions(base: ResourceOptions, extra: ResourceOptions): ResourceOptions {
  const merged: ResourceOptions = { ...base, ...extra };
  merged.properties = { ...base.properties };
  for (const [key, value] of Object.entries(extra.properties ?? {})) {
    merged.properties[key] = { ...merged.properties[key], ...value };
  }
  const actions: Actions = { ...(base.actions as Actions) };
  for (const [key, value] of Object.entries((extra.actions ?? {}) as Actions)) {
    const current = actions[key] ?? {};
    actions[key] = {
      ...current,
      ...value,
      // Hooks add up: the definition's run after the built-in ones (e.g. password hashing).
      before: chain(current.before, value?.before),
      after: chain(current.after, value?.after),
    };
  }
  merged.actions = actions;
  return merged;
}

/** AdminJS treats a key that is present as set: `listProperties: undefined` breaks it. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** "Name" → "name", but "OS version" and "ID" keep their capitals. */
const lowerFirst = (label: string) =>
  /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);

/** The resource id AdminJS gives an entity (its class name). */
export const resourceId = (definition: AdminResourceDefinition) => definition.entity.name;

/** Every field's label, enum values' labels included: the panel's translations for it. */
export function propertyLabels(
  definition: AdminResourceDefinition,
  orm: MikroORM,
): Record<string, string> {
  const meta = orm.getMetadata().get(definition.entity.name);
  const names = [
    ...Object.keys(meta.properties),
    NEW_PASSWORD,
    ...(definition.inlines ?? []).map((i) => i.name),
  ];
  const labels: Record<string, string> = {};
  for (const name of names) labels[name] = definition.labels?.[name] ?? humanize(name);
  labels[TITLE_PARAM] = 'Name';
  return labels;
}

/** A definition → what `new AdminJS({ resources })` takes, with PorchResource as the adapter. */
export function buildResource(
  definition: AdminResourceDefinition,
  { orm, services, exports, all }: BuildContext,
): ResourceWithOptions {
  const meta = orm.getMetadata().get(definition.entity.name);
  const softDeletable = 'deletedAt' in meta.properties;
  const secrets = [...(definition.secrets ?? [])];
  if (definition.passwordProperty && !secrets.includes(definition.passwordProperty))
    secrets.push(definition.passwordProperty);
  const writable = !definition.readOnly;
  const computedTitle = typeof definition.titleProperty === 'function';

  const properties: Record<string, PropertyOptions> = {};
  for (const secret of secrets) properties[secret] = hidden;
  for (const managed of ['id', 'createdAt', 'updatedAt']) {
    if (managed in meta.properties) properties[managed] = readOnlyField;
  }
  if (softDeletable) properties.deletedAt = readOnlyField;
  // Enums with their labels (the badge shows the label as written: "+", "Party · 20–30 people").
  for (const prop of Object.values(meta.properties)) {
    if (columnKind(prop) !== 'enum' || !prop.items) continue;
    const labels = definition.choices?.[prop.name] ?? {};
    properties[prop.name] = {
      ...properties[prop.name],
      availableValues: prop.items.map((item) => ({
        value: String(item),
        label: labels[String(item)] ?? humanize(String(item)),
      })),
    };
  }
  if (computedTitle) properties[TITLE_PARAM] = { ...hidden, type: 'string' };
  for (const inline of definition.inlines ?? []) {
    properties[inline.name] = {
      type: 'string',
      isVisible: { list: false, show: true, edit: false, filter: false },
      components: { show: Components.Inline },
      custom: { resourceId: inline.resource, foreignKey: inline.foreignKey },
    };
  }

  const clean = cleanForm(meta);
  const actions: Actions = {
    new: { isAccessible: writable, isVisible: writable, before: [clean] },
    edit: { isAccessible: writable, isVisible: writable, before: [clean] },
    delete: {
      isAccessible: writable,
      isVisible: writable && (softDeletable ? (c) => !isDeleted(c) : true),
    },
    bulkDelete: { isAccessible: writable, isVisible: writable },
    history: historyAction(orm),
  };
  if (definition.searchFields?.length) {
    actions.list = {
      component: Components.List,
      custom: {
        searchLabel: `Search by ${definition.searchFields
          .map((path) => path.split('.').map(humanize).map(lowerFirst).join(' '))
          .join(', ')}`,
      },
    };
  }
  if (secrets.length) {
    for (const name of ['new', 'edit'] as const) {
      actions[name] = { ...actions[name], after: stripSecrets(secrets) };
    }
  }
  if (softDeletable && writable) {
    actions.restore = restoreAction;
    actions.bulkRestore = bulkRestoreAction;
  }
  if (definition.exportName) {
    actions.exportCsv = exportAction(definition.exportName, exports);
    actions.bulkExportCsv = bulkExportAction(definition.exportName, exports);
  }

  if (definition.passwordProperty && writable) {
    const hasher = services.get(PasswordHasher);
    const policy = services.get(PasswordPolicy);
    properties[NEW_PASSWORD] = {
      type: 'password',
      isVisible: { list: false, show: false, edit: true, filter: false },
      description:
        'Checked with the sign-up rules and stored as an argon2id hash; setting it signs the user out everywhere. Leave empty to keep the current password.',
    };
    actions.new = {
      ...actions.new,
      before: [clean, hashNewPassword(hasher, policy, definition.passwordProperty, true)],
    };
    actions.edit = {
      ...actions.edit,
      before: [clean, hashNewPassword(hasher, policy, definition.passwordProperty, false)],
    };
  }

  const showProperties = definition.showProperties && [
    ...definition.showProperties,
    ...(definition.inlines ?? []).map((i) => i.name),
  ];
  const base: ResourceOptions = withoutUndefined({
    navigation: { name: definition.navigation, icon: NAV_ICONS[definition.navigation] ?? 'Folder' },
    titleProperty: computedTitle ? TITLE_PARAM : (definition.titleProperty as string),
    listProperties: definition.listProperties,
    filterProperties: definition.filterProperties,
    showProperties,
    editProperties: definition.editProperties,
    sort: definition.sort,
    properties,
    actions,
  });
  const options = definition.options ? mergeOptions(base, definition.options(services)) : base;

  // Relations sort by the related resource's title column, so the order matches what is shown.
  const referenceSort: Record<string, string> = {};
  for (const prop of Object.values(meta.properties)) {
    if (columnKind(prop) !== 'reference') continue;
    const target = all.find((d) => d.entity.name === prop.targetMeta?.className);
    const column =
      target?.sortTitle ??
      (typeof target?.titleProperty === 'string' ? target.titleProperty : undefined);
    if (column) referenceSort[prop.name] = column;
  }

  const resource: PorchResourceArgs = {
    model: definition.entity,
    orm,
    porch: {
      secrets,
      settableSecrets: definition.passwordProperty ? [definition.passwordProperty] : [],
      onSoftDelete: definition.onSoftDelete,
      onRestore: definition.onRestore,
      readOnly: definition.readOnly,
      searchFields: definition.searchFields,
      writableFields: definition.editProperties && [
        ...definition.editProperties,
        ...(definition.derived ?? []),
      ],
      titleOf: computedTitle
        ? (definition.titleProperty as (entity: AnyEntity) => string)
        : undefined,
      populate: definition.populate,
      referenceSort,
      ...definition.adapter?.(services),
    },
  };
  return { resource, options };
}
