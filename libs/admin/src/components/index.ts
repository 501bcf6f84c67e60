import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComponentLoader } from 'adminjs';
import { REPO_ROOT } from '#porch/core';

/**
 * The panel's custom React components. Plain `.jsx` next to this file (tsc leaves them alone; the
 * postbuild step copies them into dist and prebuilds the browser bundle from this same loader).
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
  ExportCsv: componentLoader.add('ExportCsv', here('export-csv.jsx')),
};
