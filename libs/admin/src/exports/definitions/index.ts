/**
 * Every CSV export, one file per module.
 *
 * To add one: write `definitions/<name>.export.ts` exporting `defineExport({ name, columns,
 * filters, sql })` — `name` is the URL (`/api/v1/exports/<name>.csv`), `sql(filters)` returns
 * parameterized SQL (build it with `where()`), its result columns aliased to `columns` in order,
 * `filters` lists which of userIds/groupId/since/until it honours (others answer 400). Never
 * select secrets (password hashes, token hashes, photo bytes); leave soft-deleted rows out.
 * Then add it to EXPORT_DEFINITIONS below and set `exportName` on its admin resource.
 *
 */
import type { ExportDefinition } from '../export-definition.js';
import {
  fsaHealthRegionsExport,
  healthRegionsExport,
  provincesExport,
} from './health-regions.export.js';
import { invitesExport, partiesExport } from './parties.export.js';
import {
  devicesExport,
  groupsExport,
  keypressesExport,
  sessionsExport,
  tasksExport,
} from './tasks.export.js';
import { usersExport } from './users.export.js';

export const EXPORT_DEFINITIONS: readonly ExportDefinition[] = [
  usersExport,
  partiesExport,
  invitesExport,
  provincesExport,
  healthRegionsExport,
  fsaHealthRegionsExport,
  devicesExport,
  sessionsExport,
  tasksExport,
  keypressesExport,
  groupsExport,
];
