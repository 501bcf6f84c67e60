// The process environment as every entry point sees it: `.env` (never overriding real variables)
// and the defaults that must be set before a library reads them.
import { join } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { REPO_ROOT } from '#porch/core';

loadDotenv({ quiet: true });
// Express 5 will not serve files under a dot-folder: keep AdminJS's bundle out of `.adminjs/`.
process.env.ADMIN_JS_TMP_DIR ??= join(REPO_ROOT, 'dist', 'adminjs');
