import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComponentLoader } from 'adminjs';
import { REPO_ROOT } from '#porch/core';

/**
 * The panel's custom React components. Plain `.jsx` next to this file (tsc leaves them alone; the
 * build step copies them into dist and prebuilds the browser bundle from this same loader).
 * They import only `react`, `adminjs` and `@adminjs/design-system`, which AdminJS's bundler
 * maps to the globals its own bundle provides, and each other.
 */
export const componentLoader = new ComponentLoader();

/**
 * Next to this module (the source, or dist once the build copied it there), else in the source
 * tree (`nest start --watch` compiles without that copy).
 */
function here(file: string): string {
  const beside = fileURLToPath(new URL(file, import.meta.url));
  return existsSync(beside) ? beside : join(REPO_ROOT, 'libs/admin/src/components', file);
}

export const Components = {
  /** The index page (Django admin's): modules, resources, row counts, recent actions. */
  Dashboard: componentLoader.add('PorchDashboard', here('dashboard.jsx')),
  /** A list with a search box (Django's `search_fields`) above AdminJS's own list. */
  List: componentLoader.add('PorchList', here('searchable-list.jsx')),
  /** "History": a record's audit entries with their field changes. */
  History: componentLoader.add('PorchHistory', here('history.jsx')),
  /** A read-only table of related records on a record's page (Django's inline). */
  Inline: componentLoader.add('PorchInline', here('inline.jsx')),
  /** "Export": the list's rows as CSV or Excel. */
  ExportCsv: componentLoader.add('ExportCsv', here('export-csv.jsx')),
  /** "Export selected". */
  BulkExport: componentLoader.add('PorchBulkExport', here('bulk-export.jsx')),
};

/** Enum values show their label as written ("+", "Party · 20–30 people"), not AdminJS's startCase of it. */
componentLoader.override('DefaultPropertyValue', here('property-value.jsx'));
