import { DemoData, PorchDemoData, type DemoContext } from '#porch/core';
import { PasswordHasher } from './passwords/password-hasher.js';
import { avatarPhoto } from './users/avatar.js';
import { Department, Gender, User } from './users/user.entity.js';

/** The party app's test accounts: "Host 1"…"Host 5" and a handful of guests. */
export const DEMO_HOSTS = 5;
export const DEMO_GUESTS = 6;
export const demoHostEmail = (n: number): string => `host${n}@demo.porch.test`;
export const demoGuestEmail = (n: number): string => `guest${n}@demo.porch.test`;

const DEPARTMENTS = Object.values(Department);
const GENDERS = [Gender.Female, Gender.Male, Gender.Other, Gender.Unspecified];

/**
 * Inserts whichever demo accounts are missing (by email); never touches existing ones. Every
 * optional field is filled (photo, department, teacher's email, birthdate, last login).
 */
@PorchDemoData({ module: 'accounts', order: 10 })
export class AccountsDemoData extends DemoData {
  constructor(private readonly hasher: PasswordHasher) {
    super();
  }

  async load({ em, now, password, created }: DemoContext): Promise<void> {
    const wanted = [
      ...Array.from({ length: DEMO_HOSTS }, (_, i) => [demoHostEmail(i + 1), `Host ${i + 1}`]),
      ...Array.from({ length: DEMO_GUESTS }, (_, i) => [demoGuestEmail(i + 1), `Guest ${i + 1}`]),
    ];
    const existing = new Set(
      (
        await em.find(
          User,
          { email: { $in: wanted.map(([email]) => email) } },
          { fields: ['email'], filters: false },
        )
      ).map((u) => u.email),
    );
    const missing = wanted
      .map(([email, name], i) => ({ email, name, i }))
      .filter(({ email }) => !existing.has(email));
    if (!missing.length) return;
    const hash = await this.hasher.hash(password);
    for (const { email, name, i } of missing) {
      const user = new User(email, name, hash);
      user.department = DEPARTMENTS[i % DEPARTMENTS.length];
      user.gender = GENDERS[i % GENDERS.length];
      user.birthdate = `${2000 + (i % 6)}-0${1 + (i % 9)}-15`;
      user.teacherEmail = `teacher${1 + (i % 3)}@demo.porch.test`;
      user.lastLoginAt = new Date(now.getTime() - (i + 1) * 3600_000);
      // Verified, so the demo logs in whatever REQUIRE_VERIFIED_EMAIL says (no mailbox behind them).
      user.emailVerifiedAt = now;
      const photo = avatarPhoto(email);
      user.photo = photo.bytes;
      user.photoType = photo.type;
      user.photoHash = photo.hash;
      em.persist(user);
    }
    created('User', missing.length);
  }
}
