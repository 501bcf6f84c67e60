// Imported first by every entry point: the environment (and .env) before any module reads it.
import { join } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig, REPO_ROOT } from '#porch/core';

loadDotenv({ quiet: true });
// Express 5 will not serve files under a dot-folder: keep AdminJS's bundle out of `.adminjs/`.
process.env.ADMIN_JS_TMP_DIR ??= join(REPO_ROOT, 'dist', 'adminjs');
try {
  // Fail fast, naming the bad variable, before anything else starts.
  loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
