import { activeUserIds, User } from '#porch/accounts';
import { PorchSeeder, Seeder, seededUuid, type SeedContext } from '#porch/core';
import { Invite, InviteStatus, MAX_PLUS_ONES, Party } from '#porch/parties';

const BATCH = 1000;
const HOUR = 3600 * 1000;

/**
 * `manage seed invites`: `number` invites in all, to the parties seeded before (or existing
 * ones), each (party, guest) once, earlier runs included, never the host. Statuses follow the
 * party's time, as the state machine would have left them: checked in and no-show only once
 * the doors opened; confirmed and canceled invites carry `respondedAt`.
 */
@PorchSeeder({ module: 'invites', order: 40 })
export class InvitesSeeder extends Seeder {
  async seed({ em, number, faker, ids, record, progress, log }: SeedContext): Promise<void> {
    const parties = await em.find(
      Party,
      { id: { $in: await ids(Party) } },
      { fields: ['host', 'firstEntry', 'lastEntry', 'createdAt'], orderBy: { id: 'asc' } },
    );
    const guests = await activeUserIds(em, ids);
    if (!parties.length || guests.length < 2 || !number) {
      log('no parties or guests to invite: seed accounts and parties first');
      return;
    }

    const key = (party: string, guest: string) => `${party}:${guest}`;
    const taken = new Set(
      (
        await em.find(
          Invite,
          { party: { $in: parties.map((p) => p.id) } },
          { fields: ['party', 'guest'] },
        )
      ).map((i) => key(i.party.id, i.guest.id)),
    );

    const now = Date.now();
    const bar = progress('invites', number);
    const inserted: string[] = [];
    let attempts = 0;
    const maxAttempts = number * 20 + 100;
    let rows: Invite[] = [];
    const flush = async () => {
      if (!rows.length) return;
      await em.insertMany(rows);
      inserted.push(...rows.map((r) => r.id));
      bar.increment(rows.length);
      rows = [];
    };

    while (inserted.length + rows.length < number && attempts++ < maxAttempts) {
      const party = faker.helpers.arrayElement(parties);
      const guest = faker.helpers.arrayElement(guests);
      if (guest === party.host.id || taken.has(key(party.id, guest))) continue;
      taken.add(key(party.id, guest));

      const first = party.firstEntry.getTime();
      const started = first <= now;
      const status = started
        ? faker.helpers.weightedArrayElement([
            { weight: 5, value: InviteStatus.CheckedIn },
            { weight: 1, value: InviteStatus.NoShow },
            { weight: 1, value: InviteStatus.Canceled },
            { weight: 1, value: InviteStatus.Invited },
            // Still to be checked in (live), or the host never marked them.
            { weight: 1, value: InviteStatus.Confirmed },
          ])
        : faker.helpers.weightedArrayElement([
            { weight: 3, value: InviteStatus.Invited },
            { weight: 4, value: InviteStatus.Confirmed },
            { weight: 1, value: InviteStatus.Canceled },
          ]);
      // Invited after the party was created and before its doors opened.
      const created = party.createdAt.getTime();
      const createdAt = faker.date.between({
        from: created,
        to: Math.max(created, Math.min(first, now) - HOUR),
      });
      // A guest answers before the doors open; canceling may come later.
      const answered =
        status === InviteStatus.Invited
          ? null
          : faker.date.between({
              from: createdAt,
              to: Math.max(
                createdAt.getTime(),
                status === InviteStatus.Canceled ? now : Math.min(first, now),
              ),
            });
      const invite = new Invite(
        em.getReference(Party, party.id),
        em.getReference(User, guest),
        faker.helpers.weightedArrayElement([
          { weight: 6, value: 0 },
          { weight: 3, value: 1 },
          { weight: 1, value: faker.number.int({ min: 2, max: MAX_PLUS_ONES }) },
        ]),
      );
      rows.push(
        Object.assign(invite, {
          id: seededUuid(faker, createdAt),
          status,
          createdAt,
          updatedAt: answered ?? createdAt,
          respondedAt: answered,
        }),
      );
      if (rows.length >= BATCH) await flush();
    }
    await flush();
    bar.stop();
    if (inserted.length < number)
      log(`only ${inserted.length} invites: every guest is already invited to every party`);
    record(Invite, inserted);
  }
}
