// Imported first by every entry point: the environment (and .env) before any module reads it.
import './node-version.js';
import './environment.js';
import { ConfigError, loadConfig } from '#porch/core';

try {
  // Fail fast, naming the bad variable, before anything else starts.
  loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
