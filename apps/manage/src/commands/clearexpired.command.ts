import { Command, CommandRunner } from 'nest-commander';
import { ExpiredRowsCleaner } from '#porch/core';
import { say } from '../output.js';

/**
 * Django's `clearsessions` for Porch: deletes expired idempotency keys and expired tokens now
 * (each API process also does it every 10 minutes).
 */
@Command({
  name: 'clearexpired',
  description: 'Delete expired idempotency keys and auth tokens (the API does it every 10 min)',
})
export class ClearExpiredCommand extends CommandRunner {
  constructor(private readonly cleaner: ExpiredRowsCleaner) {
    super();
  }

  async run(): Promise<void> {
    const deleted = await this.cleaner.clearAll();
    for (const [table, n] of Object.entries(deleted))
      say(`${table}: ${n} expired row${n === 1 ? '' : 's'} deleted`);
  }
}
