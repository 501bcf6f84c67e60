import type { MikroORM } from '@mikro-orm/core';
import type AdminJS from 'adminjs';
import type { CurrentAdmin, ViewHelpers } from 'adminjs';
import { AuditLog } from './audit/audit-log.entity.js';
import { resourceId, type AdminResourceDefinition } from './resources/index.js';

const RECENT = 10;

export interface DashboardResource {
  id: string;
  label: string;
  count: number;
  href: string;
  addHref: string | null;
}

export interface RecentAction {
  id: string;
  action: string;
  resourceLabel: string;
  title: string;
  href: string | null;
  actorEmail: string;
  createdAt: string;
}

export interface DashboardData {
  modules: { name: string; resources: DashboardResource[] }[];
  mine: RecentAction[];
  everyone: RecentAction[];
}

interface DashboardContext {
  _admin: AdminJS;
  currentAdmin?: CurrentAdmin;
  h: ViewHelpers;
}

/**
 * The index page's data (Django admin's index): every module with its resources, their row
 * counts (soft-deleted rows included, as the panel lists them) and links, and the recent actions
 * from the audit log, each naming its record as the panel does (a record since hard-deleted
 * keeps its id and loses its link).
 */
export function dashboardHandler(orm: MikroORM, definitions: readonly AdminResourceDefinition[]) {
  const labels = new Map(definitions.map((d) => [resourceId(d), d.label]));
  return async (_request: unknown, _response: unknown, context: DashboardContext) => {
    const { h, _admin: admin, currentAdmin } = context;
    const em = orm.em.fork();
    const modules: DashboardData['modules'] = [];
    for (const definition of definitions) {
      const id = resourceId(definition);
      let module = modules.find((m) => m.name === definition.navigation);
      if (!module) modules.push((module = { name: definition.navigation, resources: [] }));
      module.resources.push({
        id,
        label: definition.label,
        count: await em.count(definition.entity, {}, { filters: false }),
        href: h.resourceUrl({ resourceId: id }),
        addHref: definition.readOnly
          ? null
          : h.resourceActionUrl({ resourceId: id, actionName: 'new' }),
      });
    }

    const recent = (where: object) =>
      em.find(AuditLog, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: RECENT });
    const everyone = await recent({});
    const mine = currentAdmin?.id ? await recent({ actor: currentAdmin.id }) : [];

    // Each record's title, as the panel shows it, one query per resource.
    const titles = new Map<string, string>();
    const wanted = new Map<string, Set<string>>();
    for (const entry of [...everyone, ...mine]) {
      if (!wanted.has(entry.resource)) wanted.set(entry.resource, new Set());
      wanted.get(entry.resource)!.add(entry.recordId);
    }
    for (const [resource, ids] of wanted) {
      const adminResource = admin.findResource(resource);
      if (!adminResource) continue;
      const records = await adminResource.findMany([...ids]);
      const decorated = adminResource.decorate();
      for (const record of records) {
        titles.set(`${resource}:${record.id()}`, String(decorated.titleOf(record) ?? record.id()));
      }
    }
    const toAction = (entry: AuditLog): RecentAction => {
      const title = titles.get(`${entry.resource}:${entry.recordId}`);
      return {
        id: entry.id,
        action: entry.action,
        resourceLabel: labels.get(entry.resource) ?? entry.resource,
        title: title ?? entry.recordId,
        href:
          title === undefined
            ? null
            : h.recordActionUrl({
                resourceId: entry.resource,
                recordId: entry.recordId,
                actionName: 'show',
              }),
        actorEmail: entry.actorEmail,
        createdAt: entry.createdAt.toISOString(),
      };
    };
    const data: DashboardData = {
      modules,
      mine: mine.map(toAction),
      everyone: everyone.map(toAction),
    };
    return data;
  };
}
