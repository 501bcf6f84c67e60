/**
 * Every entity the admin panel shows, one file per module.
 *
 * To add a module's entities: create `<module>.resources.ts` beside this file exporting
 * `AdminResourceDefinition[]` — per entity the class, `navigation: '<Module>'` (the sidebar
 * group), a `titleProperty` (how relations to it are named), the list/filter/show/edit columns,
 * `secrets` never to show, `onSoftDelete` extras, `readOnly`, and `exportName` when an export
 * definition exists (exports/definitions) — then spread it into ADMIN_RESOURCES below. Soft
 * delete + "Restore", audit logging, uuid filters and error messages come from PorchResource;
 * anything else goes in `options` as plain AdminJS ResourceOptions.
 */
import { accountsResources } from './accounts.resources.js';
import { auditResources } from './audit.resources.js';
import { partiesResources } from './parties.resources.js';
import { healthRegionsResources } from './reference.resources.js';
import { tasksResources } from './tasks.resources.js';
import type { AdminResourceDefinition } from './resource-definition.js';

export const ADMIN_RESOURCES: AdminResourceDefinition[] = [
  ...accountsResources,
  ...partiesResources,
  ...healthRegionsResources,
  ...tasksResources,
  ...auditResources,
];

export * from './resource-definition.js';
export * from './labels.js';
