import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { MailService } from '#porch/core';
import supertest from 'supertest';
import type { TestApp } from './test-app.js';

/** A password that passes every rule (and is nobody's real password). */
export const GOOD_PASSWORD = 'tangerine-Kite-47-orbit';

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
/** Enough of a JPEG for its magic bytes. */
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);
export const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');

export const uniqueEmail = (prefix = 'person') =>
  `${prefix}-${randomBytes(4).toString('hex')}@example.test`;

export interface SignupBody {
  email: string;
  password: string;
  name: string;
  [field: string]: unknown;
}

export const signupBody = (overrides: Partial<SignupBody> = {}): SignupBody => ({
  email: uniqueEmail(),
  password: GOOD_PASSWORD,
  name: 'Robin Example',
  ...overrides,
});

/** Signs up through the API (201 expected) and returns the body. */
export async function signUp(t: TestApp, overrides: Partial<SignupBody> = {}) {
  const body = signupBody(overrides);
  const res = await t.http.post('/api/v1/auth/signup').send(body).expect(201);
  return {
    ...body,
    id: res.body.user.id as string,
    access: res.body.token.access_token as string,
    refresh: res.body.token.refresh_token as string,
  };
}

/** POST /auth/token as a form, as Swagger UI's "Authorize" and OAuth clients send it. */
export function tokenRequest(t: TestApp, params: Record<string, string>) {
  return t.http.post('/api/v1/auth/token').type('form').send(params);
}

/** The `.eml` files written by the file transport whose `To:` is `to`, oldest first. */
export async function sentEmails(t: TestApp, to: string): Promise<string[]> {
  const mail = t.app.get(MailService);
  await mail.whenIdle();
  const outbox = mail.outbox;
  const files = await readdir(outbox).catch(() => [] as string[]);
  const messages: string[] = [];
  for (const file of files.sort()) {
    const text = await readFile(join(outbox, file), 'utf8');
    if (new RegExp(`^To: ${to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'mi').test(text))
      messages.push(text);
  }
  return messages;
}

/** Waits (bounded) until `count` emails to `to` exist: reset codes are mailed after the 202. */
export async function waitForEmails(t: TestApp, to: string, count = 1): Promise<string[]> {
  for (let i = 0; i < 200; i++) {
    const messages = await sentEmails(t, to);
    if (messages.length >= count) return messages;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`expected ${count} email(s) to ${to}`);
}

/** The 6-digit code of a reset email. */
export function resetCode(eml: string): string {
  const match = /reset code is (\d{6})/.exec(eml.replace(/=\r?\n/g, ''));
  if (!match) throw new Error('no code in the email');
  return match[1];
}

/**
 * A supertest agent on a server that really listens. `t.http` starts and stops the server around
 * each request, which breaks requests sent in parallel (ECONNRESET); races need this one.
 */
export async function parallelHttp(t: TestApp) {
  const server = t.app.getHttpServer() as Server;
  if (!server.listening)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return supertest(server);
}

/** The 6-digit code of an email-verification email. */
export function verificationCode(eml: string): string {
  const match = /verification code is (\d{6})/.exec(eml.replace(/=\r?\n/g, ''));
  if (!match) throw new Error('no verification code in the email');
  return match[1];
}
