import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { User } from '#porch/accounts';
import { MailService } from '#porch/core';
import { Invite, InviteStatus, Party, Vibe } from '#porch/parties';
import type { TestApp } from './test-app.js';

const HOUR = 3600_000;

/** A real timestamp relative to now: `hoursFromNow(-11)` is eleven hours ago. */
export function hoursFromNow(hours: number): Date {
  return new Date(Date.now() + hours * HOUR);
}

export interface PartyOverrides {
  host: Pick<User, 'id'>;
  /** Any time, past ones included (the API refuses those; tests need them). Default: in a day. */
  firstEntry?: Date;
  flat?: string;
  vibe?: Vibe;
  description?: string | null;
  postalCode?: string | null;
  deletedAt?: Date | null;
}

/** Inserts a party directly. A host's parties must not overlap in time (exclusion constraint). */
export async function createParty(t: TestApp, overrides: PartyOverrides): Promise<Party> {
  const { host, firstEntry = hoursFromNow(24), flat = 'Flat 4B', ...fields } = overrides;
  const em = t.em();
  const party = new Party(em.getReference(User, host.id), flat, firstEntry);
  Object.assign(party, fields);
  await em.persistAndFlush(party);
  return party;
}

export interface InviteOverrides {
  party: Pick<Party, 'id'>;
  guest: Pick<User, 'id'>;
  status?: InviteStatus;
  plusOnes?: number;
}

/** Inserts an invite directly, in any status. */
export async function createInvite(t: TestApp, overrides: InviteOverrides): Promise<Invite> {
  const { party, guest, status = InviteStatus.Invited, plusOnes = 0 } = overrides;
  const em = t.em();
  const invite = new Invite(
    em.getReference(Party, party.id),
    em.getReference(User, guest.id),
    plusOnes,
  );
  invite.status = status;
  await em.persistAndFlush(invite);
  return invite;
}

/** The messages the file mail transport wrote for one address (quoted-printable decoded). */
export async function emailsTo(t: TestApp, address: string): Promise<string[]> {
  const mail = t.app.get(MailService);
  await mail.whenIdle();
  const outbox = mail.outbox;
  const files = await readdir(outbox).catch(() => [] as string[]);
  const messages = await Promise.all(files.map((f) => readFile(join(outbox, f), 'utf8')));
  const to = `to: ${address.toLowerCase()}`;
  return messages
    .filter((m) => m.split('\n').some((line) => line.trim().toLowerCase() === to))
    .map(decodeQuotedPrintable);
}

function decodeQuotedPrintable(message: string): string {
  const bytes = message
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
