import type { EntityManager } from '@mikro-orm/postgresql';
import { PorchSeeder, Seeder, seededUuid, type SeedContext } from '#porch/core';
import { PasswordHasher } from './passwords/password-hasher.js';
import { avatarPhoto } from './users/avatar.js';
import { normalizeEmail } from './users/emails.js';
import { Department, Gender, User } from './users/user.entity.js';

/** Every seeded user's password (dev data only; `manage seed` prints it). */
export const SEED_PASSWORD = 'porch-seed-password';

const BATCH = 1000;
const DAY = 24 * 3600 * 1000;

/**
 * The active users of this run (or existing ones when accounts are not seeded with it, see
 * `SeedContext.ids`), in id order: the hosts, guests and learners the other seeders build on.
 */
export async function activeUserIds(em: EntityManager, ids: SeedContext['ids']): Promise<string[]> {
  const users = await em.find(
    User,
    { id: { $in: await ids(User) }, isActive: true },
    { fields: ['id'], orderBy: { id: 'asc' } },
  );
  return users.map((u) => u.id);
}

/**
 * `manage seed accounts`: `number` users with realistic names, unique emails on reserved example
 * domains (RFC 2606: nothing is ever mailed to a real person), and every optional field filled
 * (birthdate, department, teacher's email, a photo, last login), so what reads, edits and
 * exports them meets real values; a few staff, inactive and soft-deleted ones, as a live
 * database has.
 */
@PorchSeeder({ module: 'accounts', order: 10 })
export class AccountsSeeder extends Seeder {
  constructor(private readonly hasher: PasswordHasher) {
    super();
  }

  async seed({ em, number, faker, progress, record, log }: SeedContext): Promise<void> {
    // argon2 is slow on purpose: hash once, share the hash.
    const hash = await this.hasher.hash(SEED_PASSWORD);
    const taken = new Set<string>();
    const now = Date.now();
    const bar = progress('users', number);
    const ids: string[] = [];
    const departments = Object.values(Department);

    const email = (firstName: string, lastName: string): string => {
      for (let attempt = 0; ; attempt++) {
        let address = normalizeEmail(faker.internet.exampleEmail({ firstName, lastName }));
        if (attempt > 3) address = address.replace('@', `.${faker.string.alphanumeric(6)}@`);
        if (!taken.has(address)) {
          taken.add(address);
          return address;
        }
      }
    };

    for (let start = 0; start < number; start += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, number - start) }, () => {
        const sex = faker.person.sexType();
        const firstName = faker.person.firstName(sex);
        const lastName = faker.person.lastName();
        const user = new User(email(firstName, lastName), `${firstName} ${lastName}`, hash);
        const createdAt = faker.date.between({ from: now - 365 * DAY, to: now - DAY });
        const deleted = faker.datatype.boolean(0.03);
        const updatedAt = faker.date.between({ from: createdAt, to: now });
        return Object.assign(user, {
          id: seededUuid(faker, createdAt),
          createdAt,
          updatedAt,
          emailVerifiedAt: createdAt, // fake people at example addresses: nothing to mail
          deletedAt: deleted ? updatedAt : null,
          birthdate: faker.date
            .birthdate({ mode: 'age', min: 18, max: 35 })
            .toISOString()
            .slice(0, 10),
          gender: faker.helpers.weightedArrayElement([
            { weight: 88, value: sex === 'female' ? Gender.Female : Gender.Male },
            { weight: 9, value: Gender.Unspecified },
            { weight: 3, value: Gender.Other },
          ]),
          department: faker.helpers.arrayElement(departments),
          teacherEmail: normalizeEmail(faker.internet.exampleEmail()),
          isStaff: faker.datatype.boolean(0.02),
          isActive: !deleted && faker.datatype.boolean(0.97),
          lastLoginAt: faker.date.between({ from: createdAt, to: now }),
        });
      });
      for (const row of rows) {
        const photo = avatarPhoto(row.email);
        Object.assign(row, { photo: photo.bytes, photoType: photo.type, photoHash: photo.hash });
      }
      // Rows already in the database (an earlier run) get a fresh address.
      for (;;) {
        const clashes = await em.find(
          User,
          { email: { $in: rows.map((r) => r.email) } },
          { fields: ['email'], filters: false },
        );
        if (!clashes.length) break;
        const clashing = new Set(clashes.map((u) => u.email));
        for (const row of rows) {
          if (!clashing.has(row.email)) continue;
          const [first, ...rest] = row.name.split(' ');
          row.email = email(first, rest.join(' '));
        }
      }
      await em.insertMany(rows);
      ids.push(...rows.map((r) => r.id));
      bar.increment(rows.length);
    }
    bar.stop();
    record(User, ids);
    log(`users' password: ${SEED_PASSWORD}`);
  }
}
