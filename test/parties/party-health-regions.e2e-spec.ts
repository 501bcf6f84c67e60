import { bearer, createUser } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** SPEC §4: a party with a postal code carries the health regions of its FSA. */
describe('party health regions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('resolves the postal code to its regions, largest share first, and none without one', async () => {
    const host = await bearer(t, await createUser(t));
    const firstEntry = new Date(Date.now() + 3600_000).toISOString();
    const created = await t.http
      .post('/api/v1/parties')
      .set('Authorization', host)
      .send({ flat: '12', firstEntry, postalCode: 'n0b 1a0' })
      .expect(201);
    expect(created.body.postalCode).toBe('N0B 1A0');
    const regions = created.body.healthRegions as { hrUid: number; share: number }[];
    expect(regions).toHaveLength(7);
    expect(regions.reduce((sum, r) => sum + r.share, 0)).toBeCloseTo(1, 10);
    for (let i = 1; i < regions.length; i++)
      expect(regions[i - 1].share).toBeGreaterThanOrEqual(regions[i].share);

    const read = await t.http
      .get(`/api/v1/parties/${created.body.id}`)
      .set('Authorization', host)
      .expect(200);
    expect(read.body.healthRegions).toEqual(regions);

    const cleared = await t.http
      .patch(`/api/v1/parties/${created.body.id}`)
      .set('Authorization', host)
      .send({ postalCode: null })
      .expect(200);
    expect(cleared.body.healthRegions).toEqual([]);
  });
});
