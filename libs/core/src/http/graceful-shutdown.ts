import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Global, Injectable, type LoggerService, Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';

/** Before the listener closes: how long without a new connection means its queue is empty… */
const HOLD_QUIET_MS = 100;
/** …and the longest it waits for that. */
const HOLD_MAX_MS = 1_000;

/** Whether this process is shutting down (readiness answers 503 from the first moment). */
@Injectable()
export class ShutdownState {
  draining = false;
  private readonly closers: (() => void | Promise<void>)[] = [];

  /**
   * Runs `close` when the listener has closed, before waiting for the open connections: for
   * long-lived ones (WebSockets) that would otherwise hold the shutdown to its deadline.
   */
  onStopListening(close: () => void | Promise<void>): void {
    this.closers.push(close);
  }

  /** Runs every `onStopListening` callback (a failing one does not stop the others). */
  async stoppedListening(): Promise<void> {
    await Promise.all(this.closers.map(async (close) => close()).map((p) => p.catch(() => {})));
  }
}

@Global()
@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class ShutdownStateModule {}

export interface GracefulShutdownOptions {
  /** How long to keep serving, with `Connection: close` on every answer, before closing. */
  drainMs: number;
  /** The process exits this long after the signal, whatever its clients do. */
  timeoutMs: number;
  logger: LoggerService;
  /** Runs last, after the app is closed (a cluster worker has nothing more to do). */
  exit?: (code: number) => void;
}

/**
 * Takes over SIGTERM and SIGINT for an API process (instead of Nest's `enableShutdownHooks`,
 * which closes the server at once):
 *  1. readiness answers 503 at once (load balancers stop routing here) and every response
 *     carries `Connection: close`, so each keep-alive client opens its next connection
 *     elsewhere instead of having one closed under it;
 *  2. after `drainMs` the server stops listening (holding new connections for a moment first,
 *     so that none is reset in the listener's queue), closes long-lived connections (the
 *     `onStopListening` callbacks: GraphQL subscriptions' WebSockets) and waits for the others
 *     to end: a request arriving on one is still answered (with `Connection: close`), idle
 *     keep-alive connections end at their keep-alive timeout;
 *  3. the app closes (ORM, pools, Redis; an embedded PostgreSQL it owns stops after the ORM)
 *     and the process exits 0;
 *  4. whatever clients do, at `timeoutMs` the remaining connections are cut and it exits 1.
 */
export function installGracefulShutdown(
  app: INestApplication,
  options: GracefulShutdownOptions,
): void {
  const { drainMs, timeoutMs, logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const server = app.getHttpServer() as Server;
  const state = app.get(ShutdownState, { strict: false });
  // Every request passes here first (ahead of the hot path and Express): while draining it
  // gets `Connection: close`; while the listener is about to close it waits (see below).
  const handlers = server.listeners('request') as ((...args: unknown[]) => void)[];
  server.removeAllListeners('request');
  const dispatch = (req: IncomingMessage, res: ServerResponse) => {
    for (const handler of handlers) handler.call(server, req, res);
  };
  const parked: [IncomingMessage, ServerResponse][] = [];
  let holding = false;
  let lastConnectionAt = 0;
  server.on('connection', () => (lastConnectionAt = Date.now()));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (state.draining) res.setHeader('Connection', 'close');
    if (holding) parked.push([req, res]);
    else dispatch(req, res);
  });

  let started = 0;
  const stop = async (signal: NodeJS.Signals) => {
    if (started) {
      logger.log(`${signal}: already shutting down`, 'Shutdown');
      return;
    }
    started = Date.now();
    state.draining = true;
    logger.log(
      `${signal}: shutting down (readiness 503, draining ${drainMs} ms, exit within ${timeoutMs} ms)`,
      'Shutdown',
    );
    const deadline = setTimeout(() => {
      logger.error(
        `shutdown deadline (${timeoutMs} ms) reached: cutting the connections still open`,
        undefined,
        'Shutdown',
      );
      server.closeAllConnections();
      exit(1);
    }, timeoutMs);
    try {
      await sleep(drainMs);
      // Closing a listening socket resets the connections still in its accept queue (and, in a
      // cluster, those the primary has queued for this process): requests their clients had
      // sent would be lost to resets. So requests are first held back a moment: a client
      // waiting for an answer opens no new connection, and once none has arrived for
      // HOLD_QUIET_MS (at most HOLD_MAX_MS) the queue is empty. Then the listener closes and
      // the held requests are answered, with `Connection: close`.
      holding = true;
      const holdUntil = Date.now() + HOLD_MAX_MS;
      while (Date.now() < holdUntil && Date.now() - lastConnectionAt < HOLD_QUIET_MS)
        await sleep(10);
      // net.Server's close, not http.Server's: stop listening and wait for the connections to
      // end, without http's closeIdleConnections(), which would also close a connection just
      // accepted whose first request is on its way (a reset for that client).
      const closed = new Promise<void>((resolve) =>
        NetServer.prototype.close.call(server, () => resolve()),
      );
      holding = false;
      for (const [req, res] of parked.splice(0)) dispatch(req, res);
      await state.stoppedListening();
      const open = await new Promise<number>((resolve) =>
        server.getConnections((_error, count) => resolve(count ?? 0)),
      );
      logger.log(`stopped listening; waiting for ${open} open connection(s)`, 'Shutdown');
      await closed;
      await app.close();
      clearTimeout(deadline);
      logger.log(`stopped ${Date.now() - started} ms after ${signal}`, 'Shutdown');
      exit(0);
    } catch (error) {
      clearTimeout(deadline);
      logger.error(
        `shutdown failed after ${Date.now() - started} ms: ${String(error)}`,
        undefined,
        'Shutdown',
      );
      exit(1);
    }
  };
  process.on('SIGTERM', (s) => void stop(s));
  process.on('SIGINT', (s) => void stop(s));
}
