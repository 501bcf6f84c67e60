import type { Redis } from 'ioredis';

/** A problem that retrying cannot fix (the worker stops and says why). */
export class CdcFatalError extends Error {
  override name = 'CdcFatalError';
}

interface Entry {
  stream: string;
  fields: string[];
}

export interface SinkOptions {
  /** The offset hash, written in every MULTI/EXEC with the events it covers. */
  offsetKey: string;
  /** XADD MAXLEN ~ this; 0: no cap. */
  maxLen: number;
  /** Events per MULTI/EXEC. */
  batchSize: number;
  /** MULTI/EXECs sent but not yet answered before `write` waits: bounds memory. */
  maxInFlight: number;
}

/**
 * Writes events to Redis Streams in MULTI/EXEC blocks, each ending with the offset it reaches,
 * so that what Redis holds and what the offset says are always the same. Blocks are pipelined;
 * they complete strictly in order, and `onDurable` callbacks (the slot acknowledgements) run
 * only for a block whose every predecessor succeeded.
 */
export class RedisSink {
  private pending: Entry[] = [];
  /** Run once the next write is durable: transactions whose offset that write carries. */
  private callbacks: (() => void)[] = [];
  private steps: Promise<void>[] = [];
  private tail: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private durableOffset: string[] | null = null;
  /** Events written so far (for logs and the bench). */
  written = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: SinkOptions,
  ) {}

  /** Queues one event; true when a batch is full and `write` should be called. */
  add(stream: string, fields: string[]): boolean {
    this.pending.push({ stream, fields });
    return this.pending.length >= this.options.batchSize;
  }

  get size(): number {
    return this.pending.length;
  }

  /** Registers `fn` to run once the next write (and everything before it) is durable. */
  onNextWrite(fn: () => void): void {
    this.callbacks.push(fn);
  }

  /**
   * Sends the queued events (the first `count`) and `offset` as one MULTI/EXEC (without waiting for the answer unless
   * too many are in flight). `onDurable` runs once Redis has applied it and everything before.
   */
  async write(
    offset: string[],
    onDurable?: () => void,
    count = this.pending.length,
  ): Promise<void> {
    if (this.failure) throw this.failure;
    // The first `count` queued events: those the offset covers (later ones wait for theirs).
    const entries = this.pending.splice(0, count);
    const callbacks = this.callbacks;
    this.callbacks = [];
    if (onDurable) callbacks.push(onDurable);
    const cap = this.options.maxLen > 0 ? ['MAXLEN', '~', String(this.options.maxLen)] : [];
    // MULTI, the commands and EXEC go out one by one, in order, on this connection (nothing else
    // writes between them: this runs without yielding). A pipelined multi() would first join the
    // whole block into one string, a large object only a full GC frees: memory would climb with
    // the size of a transaction.
    // Corked, they still leave in one write system call.
    const socket = this.redis.status === 'ready' ? this.redis.stream : null;
    socket?.cork();
    const queued: Promise<unknown>[] = [this.redis.multi({ pipeline: false })];
    for (const { stream, fields } of entries)
      queued.push(this.redis.xadd(stream, ...cap, '*', ...fields));
    queued.push(this.redis.hset(this.options.offsetKey, ...offset));
    for (const q of queued) q.catch(() => undefined); // a refused command also fails EXEC, reported there
    const execution = this.redis.exec();
    socket?.uncork();
    execution.catch(() => undefined); // awaited below, in order; not an unhandled rejection meanwhile
    const step = this.tail.then(async () => {
      if (this.failure) return;
      try {
        const results = await execution;
        if (!results) throw new Error('Redis discarded the transaction');
        const failed = results.find(([error]) => error);
        if (failed) {
          // A command failed inside EXEC (a key of ours holding another type): put the offset
          // back to the last complete write, so that a restart writes this block again.
          if (this.durableOffset)
            await this.redis
              .hset(this.options.offsetKey, ...this.durableOffset)
              .catch(() => undefined);
          throw new CdcFatalError(`Redis refused a change event: ${failed[0]!.message}`);
        }
        this.durableOffset = offset;
        this.written += entries.length;
        for (const fn of callbacks) fn();
      } catch (error) {
        this.failure = error as Error;
      }
    });
    this.tail = step;
    this.steps.push(step);
    while (this.steps.length > this.options.maxInFlight) await this.steps.shift();
    if (this.failure) throw this.failure;
  }

  /** Waits for every write sent so far; throws the first failure. */
  async drain(): Promise<void> {
    await this.tail;
    this.steps = [];
    if (this.failure) throw this.failure;
  }

  /** Runs `fn` once every write sent so far is durable (and only if all succeeded). */
  afterDurable(fn: () => void): void {
    this.tail = this.tail.then(() => {
      if (!this.failure) fn();
    });
  }
}
