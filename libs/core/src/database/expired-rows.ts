import { EntityManager } from '@mikro-orm/postgresql';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { redactSecrets } from '../logging/redact.js';
import { rawQuery } from './raw-query.js';

/**
 * Rows that outlive their use (expired idempotency keys, expired tokens): each module registers
 * the DELETE that removes a batch of its own, and `clearAll()` runs them to the end — every few
 * minutes in each API process (ExpiredRowsTimer) and on demand (`manage clearexpired`).
 */
export interface ExpiredRowsSweep {
  /** The table, as reported (`auth_tokens`). */
  table: string;
  /**
   * One statement deleting at most `?` (the batch size) expired rows, skipping rows another
   * sweeper holds (`for update skip locked`), so that several processes never wait on each other.
   */
  sql: string;
}

export const EXPIRED_ROWS_BATCH = 1000;

@Injectable()
export class ExpiredRowsCleaner {
  private readonly sweeps: ExpiredRowsSweep[] = [];

  constructor(private readonly em: EntityManager) {}

  register(sweep: ExpiredRowsSweep): void {
    if (!this.sweeps.some((s) => s.table === sweep.table)) this.sweeps.push(sweep);
  }

  get tables(): string[] {
    return this.sweeps.map((s) => s.table);
  }

  /** Deletes every expired row, batch by batch (each its own short statement); counts per table. */
  async clearAll(maxBatches = Number.POSITIVE_INFINITY): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const sweep of this.sweeps) {
      deleted[sweep.table] = 0;
      for (let batch = 0; batch < maxBatches; batch++) {
        const rows = await rawQuery<{ n: number }>(
          this.em,
          `with deleted as (${sweep.sql} returning 1) select count(*)::int as n from deleted`,
          [EXPIRED_ROWS_BATCH],
        );
        const n = rows[0]?.n ?? 0;
        deleted[sweep.table] += n;
        if (n < EXPIRED_ROWS_BATCH) break;
      }
    }
    return deleted;
  }
}

/** Every 10 minutes, in each API process: cheap (an index range scan each), never blocking exit. */
export const EXPIRED_ROWS_INTERVAL_MS = 10 * 60_000;

@Injectable()
export class ExpiredRowsTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ExpiredRows');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(private readonly cleaner: ExpiredRowsCleaner) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), EXPIRED_ROWS_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      // At most 100,000 rows a table per tick: a backlog is worked off over several ticks.
      const deleted = await this.cleaner.clearAll(100);
      if (Object.values(deleted).some((n) => n > 0))
        this.logger.log({ deleted }, 'deleted expired rows');
    } catch (error) {
      this.logger.warn({ err: redactSecrets(error) }, 'could not delete expired rows');
    } finally {
      this.running = false;
    }
  }
}
