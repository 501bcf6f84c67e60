import type { AnyEntity, EntityManager, MikroORM } from '@mikro-orm/core';
import {
  Filter,
  flat,
  NotFoundError,
  ValidationError,
  type ActionContext,
  type ActionRequest,
  type ActionResponse,
  type BaseRecord,
} from 'adminjs';
import type { PorchResource } from '../adapter/porch-resource.js';
import { ADMIN_ROOT } from '../admin-root.js';
import { AuditLog } from '../audit/audit-log.entity.js';
import { Components } from '../components/index.js';
import type { ExportsService } from '../exports/exports.service.js';

export const isDeleted = (context: ActionContext) => Boolean(context.record?.param('deletedAt'));

const resourceUrl = (context: ActionContext) =>
  context.h.resourceUrl({ resourceId: context.resource._decorated?.id() ?? context.resource.id() });

const showUrl = (context: ActionContext, recordId: string) =>
  context.h.recordActionUrl({
    resourceId: context.resource._decorated?.id() ?? context.resource.id(),
    recordId,
    actionName: 'show',
  });

const message = (error: unknown) =>
  error instanceof ValidationError
    ? (error.baseError?.message ?? Object.values(error.propertyErrors)[0]?.message)
    : error instanceof Error
      ? error.message
      : String(error);

/** What AdminJS calls an action's handler with. */
type ActionHandler = (
  request: ActionRequest,
  response: unknown,
  context: ActionContext,
) => Promise<ActionResponse>;

/** A record action's handler: `run` gets the action's record (none: AdminJS's not-found). */
function recordHandler(
  actionName: string,
  missing: string,
  run: (record: BaseRecord, context: ActionContext) => Promise<ActionResponse>,
): ActionHandler {
  return async (_request, _response, context) => {
    if (!context.record) throw new NotFoundError(missing, actionName);
    return run(context.record, context);
  };
}

/** After a change to a record: the record as it is now, back on its page, with `message`. */
async function changed(
  record: BaseRecord,
  context: ActionContext,
  message: string,
): Promise<ActionResponse> {
  const now = await context.resource.findOne(record.id(), context);
  return {
    record: (now ?? record).toJSON(context.currentAdmin),
    redirectUrl: showUrl(context, record.id()),
    notice: { message, type: 'success' },
  };
}

/** Record action "Restore": clears `deletedAt`; shown only on soft-deleted records. */
export const restoreAction = {
  actionType: 'record' as const,
  icon: 'RotateCcw',
  component: false as const,
  guard: 'Restore this record?',
  isVisible: isDeleted,
  isAccessible: isDeleted,
  handler: recordHandler('restore', 'No record to restore', async (record, context) => {
    await (context.resource as PorchResource).restore(record.id(), context);
    return changed(record, context, 'The record was restored');
  }),
};

/**
 * A bulk action's handler: runs `each` on every selected record, one transaction each (as bulk
 * delete does), and reports how many worked and the first refusal.
 */
function bulkHandler(
  each: (record: BaseRecord, context: ActionContext) => Promise<boolean>,
  verb: string,
): ActionHandler {
  return async (_request, _response, context) => {
    const { records = [], currentAdmin } = context;
    if (!records.length) throw new NotFoundError('No records were selected', 'bulk');
    let done = 0;
    const refused: string[] = [];
    for (const record of records) {
      try {
        if (await each(record, context)) done++;
      } catch (error) {
        refused.push(`${record.id()}: ${message(error)}`);
      }
    }
    const text = `${done} of ${records.length} ${verb}${refused.length ? `; refused: ${refused[0]}` : ''}`;
    return {
      records: records.map((r) => r.toJSON(currentAdmin)),
      redirectUrl: resourceUrl(context),
      notice: { message: text, type: refused.length ? 'error' : 'success' },
    };
  };
}

/** Bulk "Restore selected" (soft-deleted ones; others are left alone). */
export const bulkRestoreAction = {
  actionType: 'bulk' as const,
  icon: 'RotateCcw',
  component: false as const,
  guard: 'Restore the selected records?',
  handler: bulkHandler(async (record, context) => {
    if (!record.param('deletedAt')) return false;
    await (context.resource as PorchResource).restore(record.id(), context);
    return true;
  }, 'restored'),
};

/**
 * A domain service's change on a record (and on a selection), audited: "Deactivate" on users,
 * "Cancel" on invites. `run` calls the owning module's service inside the audit transaction.
 */
export function serviceActions(options: {
  name: string;
  icon: string;
  guard: string;
  done: string;
  /** Shown and allowed on this record. */
  when: (record: BaseRecord) => boolean;
  run: (em: EntityManager, entity: AnyEntity, context: ActionContext) => Promise<void>;
}) {
  const applies = (context: ActionContext) => !!context.record && options.when(context.record);
  const apply = async (record: BaseRecord, context: ActionContext) => {
    if (!options.when(record)) return false;
    await (context.resource as PorchResource).audited(record.id(), context, (em, entity) =>
      options.run(em, entity, context),
    );
    return true;
  };
  const record = {
    actionType: 'record' as const,
    icon: options.icon,
    component: false as const,
    guard: options.guard,
    isVisible: applies,
    isAccessible: applies,
    handler: recordHandler(options.name, 'No such record', async (current, context) => {
      await apply(current, context);
      return changed(current, context, options.done);
    }),
  };
  const bulk = {
    actionType: 'bulk' as const,
    icon: options.icon,
    component: false as const,
    guard: `${options.guard} (every selected record it applies to)`,
    handler: bulkHandler(apply, options.done.toLowerCase()),
  };
  return { record, bulk };
}

/** Django's "History": the record's audit entries, newest first, with their field changes. */
export function historyAction(orm: MikroORM) {
  return {
    actionType: 'record' as const,
    icon: 'Clock',
    component: Components.History,
    showInDrawer: false,
    handler: recordHandler('history', 'No such record', async (record, context) => {
      const entries = await orm.em
        .fork()
        .find(
          AuditLog,
          { resource: context.resource.id(), recordId: String(record.id()) },
          { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 500 },
        );
      return {
        record: record.toJSON(context.currentAdmin),
        entries: entries.map((e) => ({
          id: e.id,
          createdAt: e.createdAt.toISOString(),
          actorEmail: e.actorEmail,
          action: e.action,
          changes: e.changes,
        })),
      };
    }),
  };
}

/** The list's filters from an action's query (`filters.name=…`, as the list sends them). */
export function listFilters(request: ActionRequest): Record<string, unknown> {
  const query = flat.unflatten(request.query ?? {}) as { filters?: Record<string, unknown> };
  return query.filters ?? {};
}

/** What both export actions are: a drawer whose links go to the admin-session export route. */
const exportDrawer = (name: string) => ({
  icon: 'Download',
  showInDrawer: true,
  custom: { href: `${ADMIN_ROOT}/exports/${name}` },
});

/** The file names the download will have, as the server names them now. */
function fileNames(name: string, exports: ExportsService) {
  const now = new Date();
  return { csv: exports.filename(name, 'csv', now), xlsx: exports.filename(name, 'xlsx', now) };
}

/**
 * "Export": a drawer over the list offering the list's rows (its filters and search) as CSV or
 * Excel. The handler names the files exactly as the download will, and counts the rows.
 */
export function exportAction(name: string, exports: ExportsService) {
  const handler: ActionHandler = async (request, _response, context) => {
    const filter = new Filter(listFilters(request), context.resource);
    const total = await context.resource.count(filter, context);
    return { total, fileNames: fileNames(name, exports) };
  };
  return {
    ...exportDrawer(name),
    actionType: 'resource' as const,
    component: Components.ExportCsv,
    handler,
  };
}

/** Bulk "Export selected": the same export, restricted to the selected records. */
export function bulkExportAction(name: string, exports: ExportsService) {
  const handler: ActionHandler = async (_request, _response, context) => ({
    records: (context.records ?? []).map((r) => r.toJSON(context.currentAdmin)),
    fileNames: fileNames(name, exports),
  });
  return {
    ...exportDrawer(name),
    actionType: 'bulk' as const,
    component: Components.BulkExport,
    handler,
  };
}
