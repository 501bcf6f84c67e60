import type { Redis } from 'ioredis';

/**
 * How far the streams are written, kept in Redis beside them (a hash per prefix and slot) and
 * updated in the same MULTI/EXEC as the events, so the two never disagree.
 */
export interface Offset {
  /** The slot this offset belongs to (a re-created slot starts over). */
  slot: string;
  /** `done` once the initial snapshot is fully written; `skipped` with CDC_SNAPSHOT_MODE=no_data. */
  snapshot: 'done' | 'skipped' | 'running';
  /** Commit LSN of the transaction last written (0 before any). */
  commitLsn: bigint;
  /** Its end LSN: where the slot is acknowledged to. */
  endLsn: bigint;
  /** How many of its events are written… */
  events: number;
  /** …and whether that is all of them (a large transaction is written in several batches). */
  complete: boolean;
  txId: string;
  /** Its commit time, microseconds since the epoch. */
  commitTimeUs: bigint;
  /** When the worker wrote it, milliseconds since the epoch. */
  writtenAtMs: number;
  /** `<table> <op>` of the last event written. */
  lastEvent: string;
}

export function offsetFields(o: Offset): string[] {
  // prettier-ignore
  return [
    'slot', o.slot,
    'snapshot', o.snapshot,
    'lsn_commit', String(o.commitLsn),
    'lsn', String(o.endLsn),
    'events', String(o.events),
    'complete', o.complete ? '1' : '0',
    'txId', o.txId,
    'ts_usec', String(o.commitTimeUs),
    'written_at_ms', String(o.writtenAtMs),
    'last_event', o.lastEvent,
  ];
}

export async function readOffset(redis: Redis, key: string): Promise<Offset | null> {
  const h = await redis.hgetall(key);
  if (!h.slot) return null;
  return {
    slot: h.slot,
    snapshot: (h.snapshot as Offset['snapshot']) ?? 'running',
    commitLsn: BigInt(h.lsn_commit ?? '0'),
    endLsn: BigInt(h.lsn ?? '0'),
    events: Number(h.events ?? 0),
    complete: h.complete === '1',
    txId: h.txId ?? '',
    commitTimeUs: BigInt(h.ts_usec ?? '0'),
    writtenAtMs: Number(h.written_at_ms ?? 0),
    lastEvent: h.last_event ?? '',
  };
}
