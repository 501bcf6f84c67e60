import type { AnyEntity, EntityClass, MikroORM } from '@mikro-orm/core';
import type { Type } from '@nestjs/common';
import {
  NotFoundError,
  ValidationError,
  type Action,
  type ActionContext,
  type ActionRequest,
  type ActionResponse,
  type PropertyOptions,
  type ResourceOptions,
  type ResourceWithOptions,
} from 'adminjs';
import { PasswordHasher } from '#porch/accounts';
import type { PorchResource, PorchResourceArgs } from '../adapter/porch-resource.js';
import { ADMIN_ROOT } from '../admin-root.js';
import { Components } from '../components/index.js';

/** Nest providers, for definitions whose hooks need a service. */
export interface AdminServices {
  get<T>(type: Type<T> | (abstract new (...args: never[]) => T)): T;
}

/**
 * One entity in the panel, declaratively. Everything beyond these fields is AdminJS's own
 * ResourceOptions (`options`), merged last.
 */
export interface AdminResourceDefinition {
  entity: EntityClass<AnyEntity>;
  /** Sidebar group: one per module ('Accounts', 'Parties', …). */
  navigation: string;
  /** Names a record wherever it is shown, including relations that point to it. */
  titleProperty: string;
  listProperties?: string[];
  filterProperties?: string[];
  showProperties?: string[];
  editProperties?: string[];
  sort?: { sortBy: string; direction: 'asc' | 'desc' };
  /** Never shown, never accepted from a form, redacted in the audit log. */
  secrets?: string[];
  /**
   * The property holding a password hash: the form gets a write-only `newPassword` field that
   * is hashed with PasswordHasher into it (required when creating).
   */
  passwordProperty?: string;
  /** Extra values written along with `deletedAt` on soft delete (User: `{ isActive: false }`). */
  onSoftDelete?: Record<string, unknown>;
  /** List and show only: no new, edit, delete or restore. */
  readOnly?: boolean;
  /** Name of the CSV export (see exports/definitions) offered as this resource's "Export CSV". */
  exportName?: string;
  /** AdminJS resource options, merged over what the fields above produce. */
  options?: (services: AdminServices) => ResourceOptions;
}

export { ADMIN_ROOT };
export const NEW_PASSWORD = 'newPassword';

const NAV_ICONS: Record<string, string> = {
  Accounts: 'Users',
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

/** Before new/edit: drop any raw hash sent by the form, hash `newPassword` into the property. */
function hashNewPassword(hasher: PasswordHasher, property: string, required: boolean) {
  return async (request: ActionRequest): Promise<ActionRequest> => {
    if (request.method !== 'post') return request;
    const {
      [NEW_PASSWORD]: plain,
      [property]: _raw,
      ...payload
    } = (request.payload ?? {}) as Payload;
    if (typeof plain === 'string' && plain.length > 0) {
      payload[property] = await hasher.hash(plain);
    } else if (required) {
      throw new ValidationError({ [NEW_PASSWORD]: { message: 'A password is required' } });
    }
    return { ...request, payload };
  };
}

/**
 * After new/edit: AdminJS echoes the submitted params back into the record it returns, which
 * would include the freshly hashed password. Take secrets (and the plain new password) out.
 */
function stripSecrets(secrets: readonly string[]) {
  const hidden = [...secrets, NEW_PASSWORD];
  return async (response: ActionResponse): Promise<ActionResponse> => {
    const params = (response.record as { params?: Payload } | undefined)?.params;
    if (params) {
      for (const key of Object.keys(params)) {
        if (hidden.some((s) => key === s || key.startsWith(`${s}.`))) delete params[key];
      }
    }
    return response;
  };
}

const isDeleted = (context: ActionContext) => Boolean(context.record?.param('deletedAt'));

/** Record action "Restore": clears `deletedAt`; shown only on soft-deleted records. */
const restoreAction = {
  actionType: 'record' as const,
  icon: 'RotateCcw',
  component: false as const,
  guard: 'Restore this record?',
  isVisible: isDeleted,
  isAccessible: isDeleted,
  handler: async (
    _request: ActionRequest,
    _response: unknown,
    context: ActionContext,
  ): Promise<ActionResponse> => {
    const { record, resource, currentAdmin, h } = context;
    if (!record) throw new NotFoundError('No record to restore', 'restore');
    await (resource as PorchResource).restore(record.id(), context);
    const restored = await resource.findOne(record.id(), context);
    return {
      record: (restored ?? record).toJSON(currentAdmin),
      redirectUrl: h.recordActionUrl({
        resourceId: resource._decorated?.id() ?? resource.id(),
        recordId: record.id(),
        actionName: 'show',
      }),
      notice: { message: 'The record was restored', type: 'success' },
    };
  },
};

function exportAction(name: string) {
  return {
    actionType: 'resource' as const,
    icon: 'Download',
    component: Components.ExportCsv,
    showInDrawer: false,
    custom: { href: `${ADMIN_ROOT}/exports/${name}.csv`, fileName: `${name}.csv` },
    handler: async (): Promise<ActionResponse> => ({}),
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

/** A definition → what `new AdminJS({ resources })` takes, with PorchResource as the adapter. */
export function buildResource(
  definition: AdminResourceDefinition,
  orm: MikroORM,
  services: AdminServices,
): ResourceWithOptions {
  const meta = orm.getMetadata().get(definition.entity.name);
  const softDeletable = 'deletedAt' in meta.properties;
  const secrets = [...(definition.secrets ?? [])];
  if (definition.passwordProperty && !secrets.includes(definition.passwordProperty))
    secrets.push(definition.passwordProperty);
  const writable = !definition.readOnly;

  const properties: Record<string, PropertyOptions> = {};
  for (const secret of secrets) properties[secret] = hidden;
  for (const managed of ['id', 'createdAt', 'updatedAt']) {
    if (managed in meta.properties) properties[managed] = readOnlyField;
  }
  if (softDeletable) properties.deletedAt = readOnlyField;

  const actions: Actions = {
    new: { isAccessible: writable, isVisible: writable },
    edit: { isAccessible: writable, isVisible: writable },
    delete: {
      isAccessible: writable,
      isVisible: writable && (softDeletable ? (c: ActionContext) => !isDeleted(c) : true),
    },
    bulkDelete: { isAccessible: writable, isVisible: writable },
  };
  if (secrets.length) {
    for (const name of ['new', 'edit'] as const) {
      actions[name] = { ...actions[name], after: stripSecrets(secrets) };
    }
  }
  if (softDeletable && writable) actions.restore = restoreAction;
  if (definition.exportName) actions.exportCsv = exportAction(definition.exportName);

  if (definition.passwordProperty && writable) {
    const hasher = services.get(PasswordHasher);
    properties[NEW_PASSWORD] = {
      type: 'password',
      isVisible: { list: false, show: false, edit: true, filter: false },
      description: 'Stored as an argon2id hash. Leave empty to keep the current password.',
    };
    actions.new = {
      ...actions.new,
      before: hashNewPassword(hasher, definition.passwordProperty, true),
    };
    actions.edit = {
      ...actions.edit,
      before: hashNewPassword(hasher, definition.passwordProperty, false),
    };
  }

  const base: ResourceOptions = withoutUndefined({
    navigation: { name: definition.navigation, icon: NAV_ICONS[definition.navigation] ?? 'Folder' },
    titleProperty: definition.titleProperty,
    listProperties: definition.listProperties,
    filterProperties: definition.filterProperties,
    showProperties: definition.showProperties,
    editProperties: definition.editProperties,
    sort: definition.sort,
    properties,
    actions,
  });
  const options = definition.options ? mergeOptions(base, definition.options(services)) : base;

  const resource: PorchResourceArgs = {
    model: definition.entity,
    orm,
    porch: {
      secrets,
      settableSecrets: definition.passwordProperty ? [definition.passwordProperty] : [],
      onSoftDelete: definition.onSoftDelete,
      readOnly: definition.readOnly,
    },
  };
  return { resource, options };
}
