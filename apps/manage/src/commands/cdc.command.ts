import type { Server } from 'node:http';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import {
  CdcAdmin,
  CdcWorker,
  CDC_SETTINGS,
  formatLsn,
  type CdcSettings,
  type CdcStatus,
} from '#porch/cdc';
import { AppConfig, PorchMetrics, registryText, serveMetrics } from '#porch/core';
import { say } from '../output.js';

const bytes = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1048576
      ? `${(n / 1024).toFixed(1)} kB`
      : n < 1073741824
        ? `${(n / 1048576).toFixed(1)} MB`
        : `${(n / 1073741824).toFixed(2)} GB`;

/** Runs `fn` until SIGINT or SIGTERM, which call `stop`. */
async function untilSignal<T>(fn: () => Promise<T>, stop: () => void): Promise<T> {
  const onSignal = () => stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn();
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

function describeStatus(status: CdcStatus, settings: CdcSettings): string[] {
  const lines: string[] = [];
  if (status.walLevel !== 'logical')
    lines.push(`PostgreSQL runs with wal_level=${status.walLevel}: CDC needs wal_level=logical`);
  const slot = status.slot;
  if (!slot) lines.push(`slot ${settings.slot}: none (the worker creates it on its first start)`);
  else {
    lines.push(
      `slot ${slot.name}: ${slot.active ? `active (PostgreSQL backend ${slot.activePid})` : 'inactive (no worker streaming)'}, WAL ${slot.walStatus ?? 'unknown'}`,
      `  confirmed ${slot.confirmedFlushLsn}, restart ${slot.restartLsn}`,
      `  lag: ${bytes(slot.lagBytes)} of WAL not yet streamed` +
        (status.lagSeconds !== null
          ? `; ${status.lagSeconds.toFixed(3)} s from commit to Redis (last transaction)`
          : ''),
      `  retained WAL: ${bytes(slot.retainedBytes)}` +
        (slot.safeWalSizeBytes !== null
          ? ` (${bytes(slot.safeWalSizeBytes)} more before max_slot_wal_keep_size invalidates the slot)`
          : ' (no max_slot_wal_keep_size: a stuck slot can fill the disk)'),
    );
  }
  lines.push(
    status.publication
      ? `publication ${status.publication.name}: ${status.publication.tables.length} tables (${status.publication.tables.join(', ')})`
      : `publication ${settings.publication}: none yet`,
  );
  const o = status.offset;
  if (!o) lines.push('offset: none (nothing written yet)');
  else {
    lines.push(
      `snapshot: ${o.snapshot}; offset: LSN ${formatLsn(o.endLsn)}${o.txId ? `, txId ${o.txId}` : ''}${o.complete ? '' : ` (${o.events} events of a transaction in progress)`}`,
    );
    if (o.lastEvent)
      lines.push(
        `last event: ${o.lastEvent}` +
          (o.commitTimeUs > 0n
            ? `, committed ${new Date(Number(o.commitTimeUs / 1000n)).toISOString()}`
            : '') +
          (status.lastWriteSecondsAgo !== null
            ? `, written ${status.lastWriteSecondsAgo.toFixed(1)} s ago`
            : ''),
      );
  }
  lines.push(`streams (${settings.prefix}.<schema>.<table>):`);
  for (const s of status.streams) lines.push(`  ${s.stream}  ${s.length}`);
  if (!status.streams.length) lines.push('  none');
  return lines;
}

@SubCommand({
  name: 'status',
  description: 'Slot, lag in bytes and seconds, last event, stream lengths',
})
export class CdcStatusCommand extends CommandRunner {
  constructor(
    private readonly admin: CdcAdmin,
    @Inject(CDC_SETTINGS) private readonly settings: CdcSettings,
  ) {
    super();
  }

  async run(_args: string[], options: { json?: boolean }): Promise<void> {
    const status = await this.admin.status();
    if (options.json)
      say(JSON.stringify(status, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v), 2));
    else for (const line of describeStatus(status, this.settings)) say(line);
  }

  @Option({ flags: '--json', description: 'Machine-readable output' })
  parseJson(): boolean {
    return true;
  }
}

interface TailOptions {
  fromStart?: boolean;
  count?: number;
  full?: boolean;
}

@SubCommand({
  name: 'tail',
  arguments: '<table>',
  description: "Print a table's change events as they arrive, one JSON line each (Ctrl-C stops)",
})
export class CdcTailCommand extends CommandRunner {
  constructor(private readonly admin: CdcAdmin) {
    super();
  }

  async run([table]: string[], options: TailOptions): Promise<void> {
    const aborter = new AbortController();
    await untilSignal(
      () =>
        this.admin.tail(
          table,
          { fromStart: options.fromStart, count: options.count, signal: aborter.signal },
          (event) => {
            if (options.full || !event.value) {
              say(
                JSON.stringify({
                  id: event.id,
                  key: event.key,
                  value: event.value,
                  ...(event.value ? {} : { tombstone: true }),
                }),
              );
              return;
            }
            const p = event.value.payload;
            const source = p.source as Record<string, unknown>;
            say(
              JSON.stringify({
                id: event.id,
                op: p.op,
                key: (event.key as { payload?: unknown } | null)?.payload ?? null,
                before: p.before,
                after: p.after,
                txId: source.txId,
                lsn: source.lsn,
                ts_ms: source.ts_ms,
                ...(p.op === 'r' ? { snapshot: source.snapshot } : {}),
              }),
            );
          },
        ),
      () => aborter.abort(),
    );
  }

  @Option({ flags: '--from-start', description: 'Start at the oldest entry kept, not at new ones' })
  parseFromStart(): boolean {
    return true;
  }

  @Option({ flags: '--count <n>', description: 'Stop after n events' })
  parseCount(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error('--count must be a positive integer');
    return n;
  }

  @Option({ flags: '--full', description: 'Print whole envelopes (schema included)' })
  parseFull(): boolean {
    return true;
  }
}

@SubCommand({
  name: 'drop-slot',
  description:
    'Drop the replication slot and the stored offset (the next start takes a new snapshot)',
})
export class CdcDropSlotCommand extends CommandRunner {
  constructor(private readonly admin: CdcAdmin) {
    super();
  }

  async run(_args: string[], options: { publication?: boolean }): Promise<void> {
    for (const line of await this.admin.dropSlot(options)) say(line);
  }

  @Option({ flags: '--publication', description: 'Drop the publication too' })
  parsePublication(): boolean {
    return true;
  }
}

@Command({
  name: 'cdc',
  description:
    'Stream every committed change to Redis Streams as Debezium events, until SIGTERM (subcommands: status, tail, drop-slot)',
  subCommands: [CdcStatusCommand, CdcTailCommand, CdcDropSlotCommand],
})
export class CdcCommand extends CommandRunner {
  constructor(
    private readonly worker: CdcWorker,
    private readonly admin: CdcAdmin,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async run(): Promise<void> {
    const metrics = await this.serveMetrics();
    try {
      await untilSignal(
        () => this.worker.run(),
        () => void this.worker.stop(),
      );
    } finally {
      if (metrics) await new Promise((done) => metrics.close(done));
    }
  }

  /**
   * With METRICS_PORT: Prometheus metrics of the worker (process, event loop, and its lag as
   * `cdc_lag_bytes{slot}` / `cdc_lag_seconds{slot}`, read at each scrape), token-protected
   * with METRICS_TOKEN as the API's are.
   */
  private async serveMetrics(): Promise<Server | undefined> {
    const { METRICS_PORT: port, METRICS_TOKEN: token, HOST: host } = this.config;
    if (port === undefined) return undefined;
    const metrics = new PorchMetrics();
    metrics.cdcLag(() => this.admin.lag());
    const server = await serveMetrics(port, host, registryText(metrics.registry), token);
    say(`cdc: metrics on http://${host}:${port}/metrics`);
    return server;
  }
}

export const CDC_COMMANDS = [CdcCommand, CdcStatusCommand, CdcTailCommand, CdcDropSlotCommand];
