import { bearer, createUser } from '../utils/factories.js';
import { createParty, hoursFromNow } from '../utils/party-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** SPEC §3: `role` is derived — `host` while the user hosts a party whose last entry is ahead. */
describe('derived user role', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is host during and before an upcoming party, guest once it is over', async () => {
    const viewer = await bearer(t, await createUser(t));
    const upcoming = await createUser(t);
    const live = await createUser(t);
    const past = await createUser(t);
    await createParty(t, { host: upcoming, firstEntry: hoursFromNow(24) });
    await createParty(t, { host: live, firstEntry: hoursFromNow(-11) });
    await createParty(t, { host: past, firstEntry: hoursFromNow(-13) });
    const role = async (id: string) =>
      (await t.http.get(`/api/v1/users/${id}`).set('Authorization', viewer).expect(200)).body.role;
    expect(await role(upcoming.id)).toBe('host');
    expect(await role(live.id)).toBe('host');
    expect(await role(past.id)).toBe('guest');
  });
});
