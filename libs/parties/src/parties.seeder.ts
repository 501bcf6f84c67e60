import { activeUserIds, User } from '#porch/accounts';
import { PorchSeeder, Seeder, seededUuid, type SeedContext } from '#porch/core';
import { PARTY_DURATION_MS, Party, Vibe } from './party.entity.js';

const BATCH = 1000;
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const QUARTER_HOUR = 15 * 60 * 1000;
/** The letters Canada Post uses in a postal code's last three characters. */
const LDU_LETTERS = 'ABCEGHJKLMNPRSTVWXYZ';

/**
 * `manage seed parties`: `number` parties hosted by active users, past and upcoming, each with a
 * description and a postal code (or FSA) from the real FSAs. A host's parties never overlap (the exclusion constraint),
 * earlier runs' parties included, and a host has at most one party not yet over (the service's
 * "one upcoming party per host" rule).
 */
@PorchSeeder({ module: 'parties', order: 30 })
export class PartiesSeeder extends Seeder {
  async seed({ em, number, faker, ids, record, progress, log }: SeedContext): Promise<void> {
    const hosts = await activeUserIds(em, ids);
    if (!hosts.length || !number) {
      log('no active users to host parties: seed accounts first');
      return;
    }
    const fsas = (
      await em
        .getConnection()
        .execute<
          { fsa: string }[]
        >('select distinct fsa from fsa_health_region order by fsa', [], 'all', em.getTransactionContext())
    ).map((r) => r.fsa.trim());

    // Each host's existing first entries, and whether one of them is not over yet.
    const now = Date.now();
    const taken = new Map<string, number[]>();
    const open = new Set<string>();
    const existing = await em.find(
      Party,
      { host: { $in: hosts } },
      { fields: ['host', 'firstEntry', 'lastEntry'] },
    );
    for (const p of existing) {
      const host = p.host.id;
      taken.set(host, [...(taken.get(host) ?? []), p.firstEntry.getTime()]);
      if (p.lastEntry.getTime() > now) open.add(host);
    }
    const overlaps = (host: string, at: number) =>
      (taken.get(host) ?? []).some((t) => Math.abs(t - at) < PARTY_DURATION_MS);

    const firstEntry = (host: string): number | null => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const upcoming = !open.has(host) && faker.datatype.boolean(0.4);
        const at = upcoming
          ? faker.date.between({ from: now - 6 * HOUR, to: now + 60 * DAY })
          : faker.date.between({ from: now - 365 * DAY, to: now - PARTY_DURATION_MS - HOUR });
        // Doors open on the quarter hour, mostly in the evening.
        const t = Math.round(at.getTime() / QUARTER_HOUR) * QUARTER_HOUR;
        if (overlaps(host, t) || (upcoming && t + PARTY_DURATION_MS <= now)) continue;
        if (t + PARTY_DURATION_MS > now) open.add(host);
        taken.set(host, [...(taken.get(host) ?? []), t]);
        return t;
      }
      return null;
    };

    const flat = (): string =>
      faker.helpers
        .arrayElement([
          () => `${faker.location.buildingNumber()}-${faker.number.int({ min: 1, max: 40 })}`,
          () =>
            `Apt ${faker.number.int({ min: 1, max: 30 })}${faker.string.alpha(1).toUpperCase()}`,
          () => `${faker.location.buildingNumber()} ${faker.location.street()}`,
          () => `${faker.person.lastName()} House`,
        ])()
        .slice(0, 50)
        .trim();

    const postalCode = (): string | null => {
      if (!fsas.length) return null;
      const fsa = faker.helpers.arrayElement(fsas);
      if (faker.datatype.boolean(0.4)) return fsa;
      const digit = () => faker.number.int(9);
      return `${fsa} ${digit()}${faker.helpers.arrayElement([...LDU_LETTERS])}${digit()}`;
    };

    const bar = progress('parties', number);
    const inserted: string[] = [];
    // Hosts in turn, shuffled: parties are spread over as many hosts as possible.
    const order = faker.helpers.shuffle(hosts);
    let skipped = 0;
    for (let start = 0; start < number; start += BATCH) {
      const rows: Party[] = [];
      for (let i = start; i < Math.min(number, start + BATCH); i++) {
        const host = order[i % order.length];
        const at = firstEntry(host);
        if (at === null) {
          skipped++;
          continue;
        }
        const first = new Date(at);
        const createdAt = faker.date.between({
          from: Math.min(at, now) - 60 * DAY,
          to: Math.min(at, now) - HOUR,
        });
        const party = new Party(em.getReference(User, host), flat() || 'Flat 1', first);
        rows.push(
          Object.assign(party, {
            id: seededUuid(faker, createdAt),
            createdAt,
            updatedAt: faker.date.between({ from: createdAt, to: Math.min(at, now) }),
            vibe: faker.helpers.weightedArrayElement([
              { weight: 5, value: Vibe.Chill },
              { weight: 4, value: Vibe.Party },
              { weight: 1, value: Vibe.Rager },
            ]),
            description: faker.lorem.sentence(),
            postalCode: postalCode(),
          }),
        );
      }
      if (rows.length) await em.insertMany(rows);
      inserted.push(...rows.map((r) => r.id));
      bar.increment(rows.length);
    }
    bar.stop();
    if (skipped) log(`${skipped} parties skipped: their hosts' calendars are full`);
    record(Party, inserted);
  }
}
