import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DatasetError,
  FsaHealthRegion,
  HEALTH_REGIONS_DATA_DIR,
  HEALTH_REGIONS_DATASET,
  HealthRegion,
  HealthRegionsCatalog,
  HealthRegionsLoader,
  Province,
  ReferenceDataVersion,
} from '#porch/health-regions';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Row counts and the latest write time of each table, and the version row. */
async function state(t: TestApp) {
  const em = t.em();
  const [row] = await em.execute<Array<Record<string, string>>>(
    `select (select max(updated_at) from province)::text as p,
            (select max(updated_at) from health_region)::text as r,
            (select max(updated_at) from fsa_health_region)::text as f`,
  );
  return {
    provinces: await em.count(Province),
    regions: await em.count(HealthRegion),
    fsas: await em.count(FsaHealthRegion),
    lastWrites: row,
    version: await em.findOneOrFail(ReferenceDataVersion, { name: HEALTH_REGIONS_DATASET }),
  };
}

describe('health-regions loader', () => {
  let t: TestApp;
  let loader: HealthRegionsLoader;
  let catalog: HealthRegionsCatalog;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp();
    loader = t.app.get(HealthRegionsLoader);
    catalog = t.app.get(HealthRegionsCatalog);
    dir = await mkdtemp(join(tmpdir(), 'porch-hr-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await t.close();
  });

  /** A copy of the shipped CSVs, with edits. */
  async function copyWith(edits: Partial<Record<string, (text: string) => string>>) {
    await cp(HEALTH_REGIONS_DATA_DIR, dir, { recursive: true });
    for (const [file, edit] of Object.entries(edits)) {
      const path = join(dir, file);
      await writeFile(path, edit!(await readFile(path, 'utf8')));
    }
    return dir;
  }

  it('leaves the database untouched when run again on the same files', async () => {
    const before = await state(t);
    expect(before).toMatchObject({ provinces: 13, regions: 92, fsas: 1956 });
    const again = await loader.load();
    expect(again).toEqual({ status: 'unchanged', checksum: before.version.checksum });
    expect(await state(t)).toEqual(before);
  });

  it('writes no row when forced to compare the same files row by row', async () => {
    const before = await state(t);
    const forced = await loader.load({ force: true });
    expect(forced.status).toBe('loaded');
    const none = { inserted: 0, updated: 0, deleted: 0 };
    expect(forced.changes).toEqual({
      provinces: none,
      healthRegions: none,
      fsaHealthRegions: none,
    });
    const after = await state(t);
    expect(after.lastWrites).toEqual(before.lastWrites);
    expect({ ...after, version: undefined }).toEqual({ ...before, version: undefined });
  });

  it('applies changed files: updates, inserts and deletes, in one go', async () => {
    const changed = await copyWith({
      'health_regions.csv': (t) =>
        t.replace('City of Toronto Health Unit', 'Toronto Public Health'),
      'fsa_health_regions.csv': (t) =>
        t.replace(/^M5V,3595,35,48426\n/m, '').replace('M5X,3595,35,0', 'M5X,3595,35,') +
        'K0Z,3595,35,12\n',
    });
    const oldEtag = (await t.http.get('/api/v1/health-regions/3595')).headers.etag;
    const result = await loader.load({ dataDir: changed });
    expect(result.status).toBe('loaded');
    expect(result.changes).toEqual({
      provinces: { inserted: 0, updated: 0, deleted: 0 },
      healthRegions: { inserted: 0, updated: 1, deleted: 0 },
      fsaHealthRegions: { inserted: 1, updated: 1, deleted: 1 },
    });
    const em = t.em();
    expect((await em.findOneOrFail(HealthRegion, 3595)).nameEn).toBe('Toronto Public Health');
    expect(await em.count(FsaHealthRegion)).toBe(1956);
    expect(await em.findOne(FsaHealthRegion, { fsa: 'M5X' })).toMatchObject({
      estimatedPopulation: null,
    });
    expect((await state(t)).version.checksum).toBe(result.checksum);

    // The in-memory catalog follows on its next check, not before.
    await t.http.get('/api/v1/fsa/K0Z').expect(404);
    expect(await catalog.refresh()).toBe(true);
    expect(await catalog.refresh()).toBe(false);
    await t.http.get('/api/v1/fsa/M5V').expect(404);
    const k0z = await t.http.get('/api/v1/fsa/k0z').expect(200);
    expect(k0z.body.healthRegions[0]).toMatchObject({ hrUid: 3595, share: 1 });
    const region = await t.http.get('/api/v1/health-regions/3595').expect(200);
    expect(region.body.nameEn).toBe('Toronto Public Health');
    expect(region.headers.etag).not.toBe(oldEtag);

    // Back to the shipped files.
    const restored = await loader.load();
    expect(restored.changes?.fsaHealthRegions).toEqual({ inserted: 1, updated: 1, deleted: 1 });
    await catalog.refresh();
    await t.http.get('/api/v1/fsa/M5V').expect(200);
    await t.http.get('/api/v1/fsa/K0Z').expect(404);
  });

  it('loads once when several instances start together (advisory lock)', async () => {
    const changed = await copyWith({
      'provinces.csv': (t) => t.replace('Nouvelle-Ecosse', 'Nouvelle-Écosse'),
    });
    const results = await Promise.all([1, 2, 3].map(() => loader.load({ dataDir: changed })));
    expect(results.map((r) => r.status).sort()).toEqual(['loaded', 'unchanged', 'unchanged']);
    expect((await t.em().findOneOrFail(Province, 12)).nameFr).toBe('Nouvelle-Écosse');
    await loader.load();
  });

  it('refuses a bad file without touching the database', async () => {
    const before = await state(t);
    const bad = await copyWith({
      'fsa_health_regions.csv': (t) => t.replace('A0A,1011,10', 'A0A,4242,10'),
    });
    await expect(loader.load({ dataDir: bad })).rejects.toThrow(DatasetError);
    expect(await state(t)).toEqual(before);
  });

  it('deletes regions and provinces the files no longer hold', async () => {
    const changed = await copyWith({
      'fsa_health_regions.csv': (t) => t.replace(/^.*,6201,62,.*\n/gm, ''),
      'health_regions.csv': (t) => t.replace(/^6201,.*\n/m, ''),
      'provinces.csv': (t) => t.replace(/^62,NU,.*\n/m, ''),
    });
    const result = await loader.load({ dataDir: changed });
    expect(result.changes?.provinces.deleted).toBe(1);
    expect(result.changes?.healthRegions.deleted).toBe(1);
    expect(await t.em().count(Province)).toBe(12);
    await loader.load();
    expect(await t.em().count(Province)).toBe(13);
    expect(await t.em().count(FsaHealthRegion)).toBe(1956);
  });
});
