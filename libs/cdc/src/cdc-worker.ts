import { Redis } from 'ioredis';
import pg from 'pg';
import { LogicalReplicationService, type Pgoutput } from 'pg-logical-replication';
import { Catalog, type TableInfo, type TableRef } from './catalog.js';
import type { CdcSettings } from './cdc-settings.js';
import { redisFields, TableEvents, type Op, type SnapshotMarker } from './envelope.js';
import type { JsonObject } from './debezium-types.js';
import { formatLsn, parseLsn } from './lsn.js';
import { offsetFields, readOffset, type Offset } from './offset-store.js';
import { CdcFatalError, RedisSink } from './redis-sink.js';
import {
  createSlot,
  ensurePublication,
  ensureReplicaIdentity,
  slotInfo,
  TEXT_OPTIONS,
  TextPgoutputPlugin,
  type CreatedSlot,
} from './replication.js';
import { SnapshotReader } from './snapshot.js';
import { serialized, type Query } from './sql.js';

/** Where the worker reports (pino in the manage CLI). */
export interface CdcLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The prefix of the logical messages the worker emits so that an idle slot still advances. */
export const HEARTBEAT_PREFIX = 'porch-cdc-heartbeat';

/** Another worker (or any other client) already streams this slot. */
export class CdcRefusal extends CdcFatalError {
  override name = 'CdcRefusal';
}

class Stopped extends Error {}

interface Transaction {
  xid: bigint;
  commitLsn: bigint;
  commitTimeUs: bigint;
  /** Events of this transaction seen so far (skipped ones included). */
  index: number;
  /** Events already in Redis from an earlier run: the first `skip` are not written again. */
  skip: number;
  lastEvent: string;
}

const STATUS_INTERVAL_MS = 10_000;
const LAG_CHECK_INTERVAL_MS = 10_000;
// Two MULTI/EXEC blocks in flight: enough to keep Redis busy; more only keeps events alive
// long enough to be promoted to the old generation, which then grows with a transaction.
const MAX_IN_FLIGHT = 2;

const sleep = (ms: number, wake: (cancel: () => void) => void) =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    wake(() => (clearTimeout(timer), done()));
  });

/**
 * The change-data-capture worker: a durable pgoutput slot and a publication on the captured
 * tables; on first start a snapshot exported with the slot (op "r"), then every committed change,
 * written to `<prefix>.<schema>.<table>` Redis streams as Debezium envelopes. Per transaction the
 * events and the offset go in one MULTI/EXEC and the slot is acknowledged after it, so a crash
 * repeats at most the unacknowledged transaction, whose events already written are skipped.
 */
export class CdcWorker {
  private redis: Redis | null = null;
  private control: pg.Client | null = null;
  private service: LogicalReplicationService | null = null;
  private sink: RedisSink | null = null;
  private catalog: Catalog | null = null;
  private sql: Query | null = null;
  private db = '';
  private readonly relations = new Map<number, TableEvents | null>();
  private offset: Offset | null = null;
  private tx: Transaction | null = null;
  private lastCommitEnd: bigint | null = null;
  /** Transactions committed but not yet sent: their offset, and how many queued events are theirs. */
  private committed: { offset: string[]; events: number } | null = null;
  private flushScheduled = false;
  private acked = 0n;
  private halted = false;
  private stopping = false;
  private failure: Error | null = null;
  private cancelSleep: (() => void) | null = null;
  private timers: NodeJS.Timeout[] = [];
  private lastCommitAt = Date.now();
  private lastWarnAt = 0;
  private behindSeconds = 0;
  private heartbeats = true;
  private logged = { at: Date.now(), events: 0 };
  /** Events and transactions written by this process (for logs and tests). */
  readonly stats = { events: 0, transactions: 0, snapshotRows: 0 };

  constructor(
    private readonly settings: CdcSettings,
    private readonly version: string,
    private readonly logger: CdcLogger,
  ) {}

  /** Runs until `stop()`; rejects on a problem that retrying would not fix. */
  async run(): Promise<void> {
    if (!this.settings.redisUrl)
      throw new CdcFatalError('CDC needs a Redis to write to: set CDC_REDIS_URL (or REDIS_URL)');
    this.redis = new Redis(this.settings.redisUrl, {
      lazyConnect: true,
      // Fail fast while Redis is away: the session restarts from the slot, nothing is resent blindly.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectionName: `porch-cdc:${this.settings.prefix}:${this.settings.slot}`,
    });
    let redisDown = false;
    this.redis.on('error', (e: Error) => {
      if (!redisDown) this.logger.warn(`Redis: ${e.message}`);
      redisDown = true;
    });
    this.redis.on('ready', () => (redisDown = false));
    let delay = 1000;
    try {
      while (!this.stopping) {
        try {
          await this.session();
          delay = 1000;
        } catch (error) {
          if (error instanceof CdcFatalError) throw error;
          if (this.stopping) break;
          this.logger.warn(`${(error as Error).message}; retrying in ${delay / 1000} s`);
          await sleep(delay, (cancel) => (this.cancelSleep = cancel));
          delay = Math.min(delay * 2, 30_000);
        }
      }
    } finally {
      await this.control?.end().catch(() => undefined); // releases the advisory lock
      this.control = null;
      await this.redis.quit().catch(() => this.redis?.disconnect());
    }
  }

  /** Stops cleanly: the writes in flight complete and are acknowledged, then the slot is released. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.cancelSleep?.();
    await this.halt();
  }

  private async halt(): Promise<void> {
    this.halted = true;
    try {
      if (!this.failure) await this.flushCommitted();
      await this.sink?.drain();
    } catch {
      // a failed write is not acknowledged; the next run streams it again
    }
    this.sendStatus();
    await this.service?.destroy().catch(() => undefined);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.halted = true;
    void this.service?.stop().catch(() => undefined);
  }

  // --- one connection's lifetime ---------------------------------------------------------------

  private async session(): Promise<void> {
    this.failure = null;
    this.halted = false;
    this.tx = null;
    this.committed = null;
    this.relations.clear();
    if (this.redis!.status === 'wait' || this.redis!.status === 'end') await this.redis!.connect();
    const control = await this.connectControl();
    this.sink = new RedisSink(this.redis!, {
      offsetKey: this.settings.offsetKey,
      maxLen: this.settings.maxLen,
      batchSize: this.settings.batchSize,
      maxInFlight: MAX_IN_FLIGHT,
    });
    const sink = this.sink;
    try {
      const refs = await this.prepare(control);
      const offset = await this.resume(control, refs);
      if (this.stopping) return;
      this.offset = offset;
      this.lastCommitEnd = offset.endLsn || null;
      await this.stream(control);
    } finally {
      // Writes of this session still in flight land before the next one reads the offset.
      await sink.drain().catch(() => undefined);
    }
  }

  private async connectControl(): Promise<pg.Client> {
    if (this.control) return this.control;
    const name = `porch-cdc:${this.settings.slot}`;
    const client = new pg.Client({
      connectionString: this.settings.databaseUrl,
      application_name: name,
    });
    client.on('error', (e) => {
      if (this.control === client) this.control = null;
      this.fail(e);
    });
    await client.connect();
    const { rows } = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock(hashtext($1)::bigint) as locked',
      [name],
    );
    if (!rows[0].locked) {
      const holder = await client.query<{
        pid: number;
        client_addr: string | null;
        backend_start: Date;
      }>(
        'select pid, client_addr::text, backend_start from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
        [name],
      );
      await client.end().catch(() => undefined);
      const who = holder.rows[0]
        ? ` (PostgreSQL backend ${holder.rows[0].pid}${holder.rows[0].client_addr ? ` from ${holder.rows[0].client_addr}` : ''}, since ${holder.rows[0].backend_start.toISOString()})`
        : '';
      throw new CdcRefusal(
        `another CDC worker is already streaming slot "${this.settings.slot}"${who}; one worker per slot: stop it first, or give this one its own CDC_SLOT_NAME and CDC_TOPIC_PREFIX`,
      );
    }
    const db = await client.query<{ db: string; wal_level: string }>(
      "select current_database() as db, current_setting('wal_level') as wal_level",
    );
    if (db.rows[0].wal_level !== 'logical') {
      await client.end().catch(() => undefined);
      throw new CdcFatalError(
        `PostgreSQL runs with wal_level=${db.rows[0].wal_level}; change-data-capture needs wal_level=logical (see the README's "Change-data-capture" section)`,
      );
    }
    this.db = db.rows[0].db;
    this.sql = serialized(client);
    this.catalog = new Catalog(this.sql);
    this.control = client;
    return client;
  }

  /** Replica identity and publication for the captured tables. */
  private async prepare(control: pg.Client): Promise<TableRef[]> {
    const s = this.settings;
    const refs = (await this.catalog!.tables()).filter((t) => s.capturesTable(t.schema, t.name));
    const full = await ensureReplicaIdentity(control, refs, s.replicaIdentityFull);
    if (full.length) this.logger.info(`REPLICA IDENTITY FULL set on ${full.join(', ')}`);
    const publication = await ensurePublication(control, s.publication, refs);
    if (publication !== 'unchanged')
      this.logger.info(
        `publication ${s.publication} ${publication}: ${refs.map((t) => t.name).join(', ')}`,
      );
    return refs;
  }

  /** Where to start: the stored offset, or a new slot (and its snapshot). */
  private async resume(control: pg.Client, refs: TableRef[]): Promise<Offset> {
    const s = this.settings;
    let offset = await readOffset(this.redis!, s.offsetKey);
    let slot = await slotInfo(control, s.slot);
    if (slot && slot.plugin !== 'pgoutput')
      throw new CdcFatalError(
        `replication slot "${s.slot}" uses ${slot.plugin}, not pgoutput; drop it or choose another CDC_SLOT_NAME`,
      );
    if (slot && slot.database !== this.db)
      throw new CdcFatalError(
        `replication slot "${s.slot}" belongs to database ${slot.database}, not ${this.db}`,
      );
    if (slot?.walStatus === 'lost')
      throw new CdcFatalError(
        `replication slot "${s.slot}" was invalidated (its WAL was removed, max_slot_wal_keep_size): changes are lost. Run \`manage cdc drop-slot\`, then start again for a fresh snapshot`,
      );
    // Just after a reconnect the slot may still be held by this worker's previous connection,
    // whose backend is exiting: give it a few seconds before calling it someone else's.
    for (let i = 0; slot?.active && i < 10; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      slot = await slotInfo(control, s.slot);
    }
    if (slot?.active)
      throw new CdcRefusal(
        `replication slot "${s.slot}" is in use by PostgreSQL backend ${slot.activePid}: another client streams it`,
      );
    const finished =
      offset?.slot === s.slot && (offset.snapshot === 'done' || offset.snapshot === 'skipped');
    if (slot && !finished) {
      if (s.snapshotMode === 'initial') {
        // A snapshot was interrupted (or Redis lost the offset): its slot's snapshot is gone.
        this.logger.warn(
          `slot "${s.slot}" has no finished snapshot in Redis: re-creating it for a new snapshot`,
        );
        await control.query('select pg_drop_replication_slot($1)', [s.slot]);
        slot = null;
      } else {
        offset = this.baseOffset('skipped', parseLsn(slot.confirmedFlushLsn));
        await this.redis!.hset(s.offsetKey, ...offsetFields(offset));
      }
    }
    if (!slot) {
      if (finished)
        this.logger.warn(`slot "${s.slot}" is gone: creating it again with a new snapshot`);
      offset = await this.createSlot(refs);
    }
    return offset!;
  }

  private baseOffset(snapshot: Offset['snapshot'], lsn: bigint): Offset {
    return {
      slot: this.settings.slot,
      snapshot,
      commitLsn: 0n,
      endLsn: lsn,
      events: 0,
      complete: true,
      txId: '',
      commitTimeUs: 0n,
      writtenAtMs: Date.now(),
      lastEvent: '',
    };
  }

  private async createSlot(refs: TableRef[]): Promise<Offset> {
    const s = this.settings;
    const initial = s.snapshotMode === 'initial';
    const created = await createSlot(s.databaseUrl, s.slot, initial);
    const lsn = parseLsn(created.consistentPoint);
    this.logger.info(`created replication slot "${s.slot}" at ${created.consistentPoint}`);
    try {
      const running = this.baseOffset(initial ? 'running' : 'skipped', lsn);
      await this.redis!.del(s.offsetKey);
      await this.redis!.hset(s.offsetKey, ...offsetFields(running));
      if (!initial) return running;
      return await this.snapshot(created, refs, lsn);
    } finally {
      await created.release().catch(() => undefined);
    }
  }

  // --- snapshot --------------------------------------------------------------------------------

  private async snapshot(created: CreatedSlot, refs: TableRef[], lsn: bigint): Promise<Offset> {
    const started = Date.now();
    const reader = await SnapshotReader.open(this.settings.databaseUrl, created.snapshotName!);
    await created.release(); // imported: the exporting connection has done its part
    const sink = this.sink!;
    const running = offsetFields(this.baseOffset('running', lsn));
    let held: { events: TableEvents; row: JsonObject } | null = null;
    let first = true;
    let rows = 0;
    const emit = async (marker: SnapshotMarker, last: string[] | null) => {
      const { events, row } = held!;
      const value = events.value('r', null, row, {
        tsUs: BigInt(Date.now()) * 1000n,
        snapshot: marker,
        txId: reader.txId,
        lsn,
        lastCommitLsn: null,
      });
      if (
        sink.add(events.stream, redisFields(this.settings.messageFormat, events.key(row), value)) ||
        last
      )
        await sink.write(last ?? running);
    };
    try {
      for (const ref of refs) {
        const events = this.tableEvents(await this.catalog!.describe(ref));
        if (!events.columns.length) continue;
        for await (const text of reader.rows(events)) {
          if (this.stopping) throw new Stopped('stopped during the snapshot');
          if (held) {
            await emit(first ? 'first' : 'true', null);
            first = false;
          }
          held = { events, row: events.row(text) };
          rows++;
        }
      }
      const done = {
        ...this.baseOffset('done', lsn),
        events: 0,
        lastEvent: held ? `${held.events.table.name} r` : '',
      };
      if (held) await emit('last', offsetFields(done));
      else await sink.write(offsetFields(done));
      await sink.drain();
      this.stats.snapshotRows += rows;
      this.logger.info(
        `snapshot: ${rows} rows of ${refs.length} tables in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return done;
    } finally {
      await reader.close();
    }
  }

  private tableEvents(table: TableInfo): TableEvents {
    return new TableEvents(
      table,
      { prefix: this.settings.prefix, db: this.db, version: this.version },
      (column) => this.settings.sendsColumn(table.schema, table.name, column),
    );
  }

  // --- streaming -------------------------------------------------------------------------------

  private async stream(control: pg.Client): Promise<void> {
    const s = this.settings;
    const slot = await slotInfo(control, s.slot);
    this.acked = parseLsn(slot?.confirmedFlushLsn);
    const service = new LogicalReplicationService(
      {
        connectionString: s.databaseUrl,
        options: TEXT_OPTIONS,
        application_name: `porch-cdc-stream:${s.slot}`,
      },
      // Acknowledged by hand, only once Redis holds the events; read one message at a time.
      { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } },
    );
    this.service = service;
    service.on('data', (lsn: string, message: Pgoutput.Message) => this.onMessage(lsn, message));
    service.on('heartbeat', (_lsn: string, _time: number, respond: boolean) => {
      if (respond) this.sendStatus();
    });
    service.on('error', (e: Error) => this.fail(e));
    service.on('start', () => {
      if (this.halted)
        void service.stop(); // stopped while connecting
      else
        this.logger.info(
          `streaming slot "${s.slot}" from ${formatLsn(this.acked)} to ${s.prefix}.<schema>.<table>`,
        );
    });
    if (this.halted) return;
    this.startTimers();
    try {
      await service.subscribe(
        new TextPgoutputPlugin({
          protoVersion: 1,
          publicationNames: [s.publication],
          messages: true,
        }),
        s.slot,
      );
    } catch (error) {
      throw this.explain(error as Error);
    } finally {
      this.stopTimers();
      this.service = null;
      await service.destroy().catch(() => undefined);
    }
    if (this.failure && !this.stopping) throw this.explain(this.failure);
  }

  private explain(error: Error): Error {
    const code = (error as { code?: string }).code;
    if (code === '55006')
      return new CdcRefusal(`replication slot "${this.settings.slot}" is in use: ${error.message}`);
    if (code === '55000' && /invalidated|can no longer get changes/.test(error.message))
      return new CdcFatalError(
        `${error.message}: run \`manage cdc drop-slot\`, then start again for a fresh snapshot`,
      );
    return error;
  }

  private async onMessage(lsn: string, message: Pgoutput.Message): Promise<void> {
    if (this.halted) return;
    switch (message.tag) {
      case 'begin':
        return this.begin(message);
      case 'relation':
        return this.relation(message);
      case 'insert':
        return this.change(message.relation, 'c', null, message.new, lsn);
      case 'update':
        // REPLICA IDENTITY FULL sends the old row; DEFAULT sends the old key only if it changed.
        return this.change(
          message.relation,
          'u',
          message.old ?? message.key,
          message.new,
          lsn,
          !message.old,
        );
      case 'delete':
        return this.change(
          message.relation,
          'd',
          message.old ?? message.key,
          null,
          lsn,
          !message.old,
        );
      case 'truncate':
        for (const relation of message.relations) await this.truncate(relation, lsn);
        return;
      case 'commit':
        return this.commit(message);
      case 'message':
        if (!message.transactional && message.prefix === HEARTBEAT_PREFIX && message.messageLsn) {
          // Every transaction decoded before this message is written: the slot may move to it.
          // (pgoutput sends a message's end LSN: where the next record may begin, not past it.)
          const position = parseLsn(message.messageLsn);
          await this.flushCommitted();
          this.sink!.afterDurable(() => this.acknowledge(position));
        }
        return;
      default:
        return; // origin, type
    }
  }

  private begin(message: Pgoutput.MessageBegin): void {
    const commitLsn = parseLsn(message.commitLsn);
    const o = this.offset!;
    let skip = 0;
    if (commitLsn < o.commitLsn || (commitLsn === o.commitLsn && o.complete)) skip = Infinity;
    else if (commitLsn === o.commitLsn) skip = o.events;
    this.tx = {
      xid: BigInt(message.xid),
      commitLsn,
      commitTimeUs: message.commitTime as unknown as bigint,
      index: 0,
      skip,
      lastEvent: '',
    };
  }

  private async relation(message: Pgoutput.MessageRelation): Promise<void> {
    if (!this.settings.capturesTable(message.schema, message.name)) {
      this.relations.set(message.relationOid, null);
      return;
    }
    const current = await this.catalog!.describeOid(message.relationOid);
    // The relation message says which columns the rows carry; the catalog adds keys and defaults.
    const byName = new Map(current?.columns.map((c) => [c.name, c]));
    const table: TableInfo = {
      oid: message.relationOid,
      schema: message.schema,
      name: message.name,
      replicaIdentity: message.replicaIdentity,
      columns: message.columns.map(
        (c) =>
          byName.get(c.name) ?? {
            name: c.name,
            typeName: 'text',
            typeType: 'b',
            typeCategory: 'S',
            typmod: c.typeMod,
            notNull: false,
            defaultExpr: null,
            enumLabels: null,
          },
      ),
      primaryKey: (current?.primaryKey ?? []).filter((k) =>
        message.columns.some((c) => c.name === k),
      ),
    };
    this.relations.set(message.relationOid, this.tableEvents(table));
  }

  private async change(
    relation: Pgoutput.MessageRelation,
    op: Op,
    before: Record<string, string | null> | null,
    after: Record<string, string | null> | null,
    lsn: string,
    beforeIsKey = false,
  ): Promise<void> {
    const events = this.relations.get(relation.relationOid);
    if (!events) return;
    const b = before ? events.row(before, beforeIsKey) : null;
    const a = after ? events.row(after) : null;
    await this.emit(events, events.key(a ?? b), op, b, a, lsn);
    if (op === 'd' && this.settings.tombstones)
      await this.emit(events, events.key(b), null, null, null, lsn);
  }

  private async truncate(relation: Pgoutput.MessageRelation, lsn: string): Promise<void> {
    const events = this.relations.get(relation.relationOid);
    if (events) await this.emit(events, null, 't', null, null, lsn);
  }

  /** One stream entry (`op` null: a tombstone), unless an earlier run already wrote it. */
  private async emit(
    events: TableEvents,
    key: string | null,
    op: Op | null,
    before: JsonObject | null,
    after: JsonObject | null,
    lsn: string,
  ): Promise<void> {
    const tx = this.tx!;
    if (tx.index++ < tx.skip) return;
    const value =
      op &&
      events.value(op, before, after, {
        tsUs: tx.commitTimeUs,
        snapshot: 'false',
        txId: tx.xid,
        lsn: parseLsn(lsn),
        lastCommitLsn: this.lastCommitEnd,
      });
    if (op) tx.lastEvent = `${events.table.name} ${op}`;
    if (this.sink!.add(events.stream, redisFields(this.settings.messageFormat, key, value))) {
      this.committed = null; // this offset (part of a later transaction) covers the earlier ones
      await this.sink!.write(offsetFields(this.txOffset(tx, 0n, false)));
    }
  }

  private txOffset(tx: Transaction, endLsn: bigint, complete: boolean): Offset {
    return {
      slot: this.settings.slot,
      snapshot: this.offset!.snapshot,
      commitLsn: tx.commitLsn,
      endLsn: complete ? endLsn : (this.lastCommitEnd ?? 0n),
      events: tx.index,
      complete,
      txId: String(tx.xid),
      commitTimeUs: tx.commitTimeUs,
      writtenAtMs: Date.now(),
      lastEvent: tx.lastEvent,
    };
  }

  private async commit(message: Pgoutput.MessageCommit): Promise<void> {
    const tx = this.tx;
    if (!tx) return;
    this.tx = null;
    const end = parseLsn(message.commitEndLsn);
    this.lastCommitEnd = end;
    const done = () => {
      this.acknowledge(end);
      this.lastCommitAt = Date.now();
      this.behindSeconds = Math.max(0, (Date.now() * 1000 - Number(tx.commitTimeUs)) / 1e6);
      this.stats.transactions++;
    };
    const written = tx.skip === Infinity ? 0 : Math.max(0, tx.index - tx.skip);
    // Group commit: the transaction's offset rides on the next MULTI/EXEC, sent when a batch is
    // full or as soon as no more messages are waiting, so a burst of small transactions shares
    // round trips. Its acknowledgement waits for that write.
    this.sink!.onNextWrite(() => {
      this.stats.events += written;
      done();
    });
    this.committed = {
      offset: offsetFields(this.txOffset(tx, end, true)),
      events: this.sink!.size,
    };
    if (this.sink!.size >= this.settings.batchSize) await this.flushCommitted();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flushCommitted().catch((e: Error) => this.fail(e));
      });
    }
  }

  /** Writes the events of the transactions committed so far, with the last one's offset. */
  private async flushCommitted(): Promise<void> {
    const committed = this.committed;
    if (!committed || !this.sink) return;
    this.committed = null;
    await this.sink.write(committed.offset, undefined, committed.events);
  }

  /** Tells PostgreSQL the slot may move to `position` (everything before it is in Redis). */
  private acknowledge(position: bigint): void {
    if (position <= this.acked) return;
    this.acked = position;
    this.sendStatus();
  }

  private sendStatus(): void {
    // The library reports the LSN it is given plus one (its reading of "last byte received"),
    // while PostgreSQL resumes at the flush position itself: hand it one less.
    if (this.acked > 0n)
      void this.service?.acknowledge(formatLsn(this.acked - 1n)).catch(() => undefined);
  }

  // --- timers: status, heartbeat, lag ----------------------------------------------------------

  private startTimers(): void {
    const s = this.settings;
    const sql = this.sql!;
    this.timers.push(setInterval(() => this.sendStatus(), STATUS_INTERVAL_MS));
    if (s.heartbeatSeconds > 0) {
      this.timers.push(
        setInterval(() => {
          if (!this.heartbeats || Date.now() - this.lastCommitAt < s.heartbeatSeconds * 1000)
            return;
          sql('select pg_logical_emit_message(false, $1, $2)', [HEARTBEAT_PREFIX, '']).catch(
            (e: Error) => {
              this.heartbeats = false;
              this.logger.warn(
                `heartbeat off (${e.message}): an idle slot advances only when captured tables change`,
              );
            },
          );
        }, s.heartbeatSeconds * 1000),
      );
    }
    this.timers.push(setInterval(() => void this.checkLag(), LAG_CHECK_INTERVAL_MS));
    for (const t of this.timers) t.unref();
  }

  private stopTimers(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private async checkLag(): Promise<void> {
    const s = this.settings;
    try {
      const { rows } = await this.sql!<{ lag: string | null }>(
        'select pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint::text as lag from pg_replication_slots where slot_name = $1',
        [s.slot],
      );
      const lag = Number(rows[0]?.lag ?? 0);
      const recent = Date.now() - this.lastCommitAt < LAG_CHECK_INTERVAL_MS * 2;
      const behind = recent ? this.behindSeconds : 0;
      if (
        (lag > s.lagWarnBytes || behind > s.lagWarnSeconds) &&
        Date.now() - this.lastWarnAt > 60_000
      ) {
        this.lastWarnAt = Date.now();
        this.logger.warn(
          `falling behind: slot "${s.slot}" holds ${(lag / 1048576).toFixed(1)} MB of unconsumed WAL, events reach Redis ${behind.toFixed(1)} s after their commit`,
        );
      }
      if (Date.now() - this.logged.at >= 60_000 && this.stats.events !== this.logged.events) {
        this.logger.info(
          `${this.stats.events - this.logged.events} events in the last minute; WAL behind ${lag} bytes`,
        );
        this.logged = { at: Date.now(), events: this.stats.events };
      }
    } catch {
      // the session's own error handling reports a dead connection
    }
  }
}
