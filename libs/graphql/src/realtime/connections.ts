import { Injectable } from '@nestjs/common';
import type { Context } from 'graphql-ws';
import type { Request } from 'express';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { Authenticator, type Principal, ShutdownState } from '#porch/core';

/** What graphql-ws keeps per socket (its `extra`): the socket, its upgrade request, the caller. */
export interface SocketExtra {
  socket: WebSocket;
  request: IncomingMessage;
  user?: Principal;
  token?: string;
}

/**
 * What a subscription's resolvers see as `ctx.req`: the socket's caller (`user`), and of its
 * upgrade request what building URLs needs (protocol, host) and the client address. Not an
 * Express request: the HTTP guards and throttles skip a context without `res`.
 */
export function socketRequest(extra: SocketExtra): Request {
  const { request } = extra;
  const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
  return {
    user: extra.user,
    headers: request.headers,
    ip: request.socket.remoteAddress,
    protocol: encrypted ? 'https' : 'http',
    get: (name: string) => request.headers[name.toLowerCase()],
  } as unknown as Request;
}

/** 1001 Going Away: the server is shutting down (the client reconnects, to another instance). */
export const GOING_AWAY = 1001;
/** graphql-ws' close code for a refused connection_init. */
export const FORBIDDEN = 4403;

/** The bearer token a client sends in `connectionParams`: `{ authorization: "Bearer …" }` or `{ token }`. */
export function connectionToken(
  params: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const header = params?.authorization ?? params?.Authorization;
  if (typeof header === 'string') {
    const [scheme, value] = header.split(' ');
    return scheme?.toLowerCase() === 'bearer' && value ? value.trim() : undefined;
  }
  return typeof params?.token === 'string' && params.token ? params.token : undefined;
}

/**
 * The subscription WebSockets of this process: each is authenticated at `connection_init` with
 * the same Authenticator as a REST request (no token or a bad one: closed with 4403), and all
 * are closed (1001) when the process stops listening, so that they do not hold the shutdown.
 */
@Injectable()
export class SubscriptionConnections {
  private readonly sockets = new Set<WebSocket>();

  constructor(
    private readonly authenticator: Authenticator,
    private readonly shutdown: ShutdownState,
  ) {
    shutdown.onStopListening(() => this.closeAll());
  }

  /** graphql-ws' `onConnect`: false refuses the connection (4403 Forbidden). */
  async onConnect(
    ctx: Context<Record<string, unknown> | undefined, SocketExtra>,
  ): Promise<boolean> {
    if (this.shutdown.draining) return false;
    const token = connectionToken(ctx.connectionParams);
    const principal = token ? await this.authenticator.authenticate(token) : null;
    if (!principal) return false;
    ctx.extra.user = principal;
    ctx.extra.token = token;
    const socket = ctx.extra.socket;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return true;
  }

  /**
   * The caller again, for an event about to be sent: a token revoked (log-out) or expired since
   * the connection opened closes it instead.
   */
  async stillSignedIn(extra: SocketExtra): Promise<Principal | null> {
    const principal = extra.token ? await this.authenticator.authenticate(extra.token) : null;
    if (!principal) extra.socket.close(FORBIDDEN, 'Forbidden');
    return principal;
  }

  get count(): number {
    return this.sockets.size;
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.close(GOING_AWAY, 'Server shutting down');
  }
}
