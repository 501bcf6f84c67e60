import { demoGuestEmail, demoHostEmail, User } from '#porch/accounts';
import { DemoData, PorchDemoData, type DemoContext } from '#porch/core';
import { Invite, InviteStatus } from './invite.entity.js';
import { Party, Vibe } from './party.entity.js';

const HOUR = 3600_000;

/**
 * The party app's test parties, relative to now: PASTPARTY1 and PASTPARTY2 are over,
 * FUTUREPARTY1…3 upcoming, one per host ("Host 1"…"Host 5"); guests hold invites in every
 * status. Idempotent: a party is looked up by (host, flat), an invite by (party, guest).
 */
const PARTIES = [
  { host: 1, flat: 'PASTPARTY1', startsIn: -72, vibe: Vibe.Party, postalCode: 'M5V 2T6' },
  { host: 2, flat: 'PASTPARTY2', startsIn: -48, vibe: Vibe.Chill, postalCode: 'V6B 1A1' },
  { host: 3, flat: 'FUTUREPARTY1', startsIn: 24, vibe: Vibe.Rager, postalCode: 'N0B' },
  { host: 4, flat: 'FUTUREPARTY2', startsIn: 48, vibe: Vibe.Party, postalCode: 'H2X 1Y4' },
  { host: 5, flat: 'FUTUREPARTY3', startsIn: 72, vibe: Vibe.Chill, postalCode: 'K1A' },
] as const;

/** [flat, guest number, status]: every status appears, and only where the timing allows it. */
const INVITES: Array<[string, number, InviteStatus]> = [
  ['PASTPARTY1', 1, InviteStatus.CheckedIn],
  ['PASTPARTY1', 2, InviteStatus.NoShow],
  ['PASTPARTY1', 3, InviteStatus.Canceled],
  ['PASTPARTY2', 4, InviteStatus.CheckedIn],
  ['FUTUREPARTY1', 1, InviteStatus.Invited],
  ['FUTUREPARTY1', 2, InviteStatus.Confirmed],
  ['FUTUREPARTY1', 5, InviteStatus.Canceled],
  ['FUTUREPARTY2', 3, InviteStatus.Invited],
  ['FUTUREPARTY2', 6, InviteStatus.Confirmed],
  ['FUTUREPARTY3', 4, InviteStatus.Invited],
];

@PorchDemoData({ module: 'parties', order: 30 })
export class PartiesDemoData extends DemoData {
  async load({ em, now, created }: DemoContext): Promise<void> {
    const emails = [
      ...PARTIES.map((p) => demoHostEmail(p.host)),
      ...[1, 2, 3, 4, 5, 6].map(demoGuestEmail),
    ];
    const users = new Map(
      (await em.find(User, { email: { $in: emails } })).map((u) => [u.email, u]),
    );
    const parties = new Map<string, Party>();
    let newParties = 0;
    for (const spec of PARTIES) {
      const host = users.get(demoHostEmail(spec.host));
      if (!host) continue;
      let party = await em.findOne(Party, { host, flat: spec.flat });
      if (!party) {
        party = new Party(host, spec.flat, new Date(now.getTime() + spec.startsIn * HOUR));
        party.vibe = spec.vibe;
        party.postalCode = spec.postalCode;
        party.description = `${spec.flat} — demo data`;
        em.persist(party);
        newParties++;
      }
      parties.set(spec.flat, party);
    }
    await em.flush();
    created('Party', newParties);

    let newInvites = 0;
    for (const [flat, guestNo, status] of INVITES) {
      const party = parties.get(flat);
      const guest = users.get(demoGuestEmail(guestNo));
      if (!party || !guest || (await em.count(Invite, { party, guest }))) continue;
      const invite = new Invite(party, guest, guestNo % 3);
      invite.status = status;
      if (status !== InviteStatus.Invited)
        invite.respondedAt = new Date(party.firstEntry.getTime() - 2 * HOUR);
      em.persist(invite);
      newInvites++;
    }
    created('Invite', newInvites);
  }
}
