import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '#porch/core';

/** package.json's version: the start-up line and `GET /api/v1` say which Porch this is. */
export const PORCH_VERSION = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
