import {
  FsaHealthRegion,
  HealthRegion,
  HealthRegionsCatalog,
  Province,
} from '#porch/health-regions';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const API = '/api/v1';
const PROBLEM = /application\/problem\+json/;

interface RegionBody {
  hrUid: number;
  province: { geoCode: number; alphaCode: string };
  nameEn: string;
  nameFr: string;
  population: number | null;
  fsaCount: number;
}
interface ShareBody {
  hrUid: number;
  estimatedPopulation: number | null;
  share: number;
}

describe('health regions API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const get = (path: string) => t.http.get(API + path);
  const hrUids = (body: { results: Array<{ hrUid: number }> }) => body.results.map((r) => r.hrUid);

  it('loads every shipped row at start: 13 provinces, 92 regions, 1,956 FSA rows', async () => {
    const em = t.em();
    expect(await em.count(Province)).toBe(13);
    expect(await em.count(HealthRegion)).toBe(92);
    expect(await em.count(FsaHealthRegion)).toBe(1956);
    // Empty estimates stay unknown, never 0.
    expect(await em.count(FsaHealthRegion, { estimatedPopulation: null })).toBe(136);
    const all = await get('/health-regions?limit=100').expect(200);
    expect(all.body.count).toBe(92);
    const provinces = await get('/provinces').expect(200);
    expect(provinces.body.count).toBe(13);
  });

  describe('GET /fsa/:code', () => {
    it('gives N0B with its 7 regions ordered by share, shares summing to 1', async () => {
      const res = await get('/fsa/N0B').expect(200);
      expect(res.body.fsa).toBe('N0B');
      expect(res.body.province).toEqual({
        geoCode: 35,
        alphaCode: 'ON',
        nameEn: 'Ontario',
        nameFr: 'Ontario',
      });
      const regions = res.body.healthRegions as ShareBody[];
      expect(regions).toHaveLength(7);
      expect(regions.map((r) => r.hrUid)).toEqual([3565, 3566, 3575, 3527, 3537, 3539, 3536]);
      for (let i = 1; i < regions.length; i++)
        expect(regions[i - 1]!.share).toBeGreaterThanOrEqual(regions[i]!.share);
      expect(regions.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 12);
      expect(regions[0]).toEqual({
        hrUid: 3565,
        nameEn: 'Waterloo Health Unit',
        nameFr: 'Circonscription sanitaire de Waterloo',
        shortNameEn: 'Waterloo',
        shortNameFr: 'Waterloo',
        estimatedPopulation: 32341,
        share: 32341 / 69695,
      });
    });

    it('answers the same for an FSA or a postal code in any case and spacing', async () => {
      const codes = ['m5v%202t6', 'M5V2T6', 'm5v', 'M5V', '%20m5v%20%202T6%20'];
      const answers = [];
      for (const code of codes) answers.push(await get(`/fsa/${code}`).expect(200));
      for (const res of answers) {
        expect(res.text).toBe(answers[0]!.text);
        expect(res.headers.etag).toBe(answers[0]!.headers.etag);
      }
      expect(answers[0]!.body).toEqual({
        fsa: 'M5V',
        province: { geoCode: 35, alphaCode: 'ON', nameEn: 'Ontario', nameFr: 'Ontario' },
        healthRegions: [
          {
            hrUid: 3595,
            nameEn: 'City of Toronto Health Unit',
            nameFr: 'Circonscription sanitaire de la cité de Toronto',
            shortNameEn: 'Toronto',
            shortNameFr: 'Toronto',
            estimatedPopulation: 48426,
            share: 1,
          },
        ],
      });
    });

    it.each(['ZZZ', 'M5', 'M5V2T', 'M5V-2T6', 'D5V', '123', 'M5V%202T6X'])(
      'rejects the malformed code %s with 400 naming the field',
      async (code) => {
        const res = await get(`/fsa/${code}`).expect(400);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.body.errors).toEqual([{ field: 'code', message: expect.any(String) }]);
        expect(res.headers['cache-control']).toBeUndefined();
      },
    );

    it('answers 404 for a well-formed FSA that is not in the data', async () => {
      for (const code of ['K0Z', 'k0z 1a1', 'X0X']) {
        const res = await get(`/fsa/${code}`).expect(404);
        expect(res.headers['content-type']).toMatch(PROBLEM);
      }
    });

    it('keeps unknown estimates null, and counts them 0 in the shares', async () => {
      const res = await get('/fsa/B0N').expect(200);
      const byUid = new Map((res.body.healthRegions as ShareBody[]).map((r) => [r.hrUid, r]));
      expect(byUid.get(1201)).toMatchObject({ estimatedPopulation: null, share: 0 });
      expect(byUid.get(1204)!.share).toBeCloseTo(17349 / (16580 + 17349), 12);
    });

    it('gives share 1 where the estimates add up to 0 (M5X)', async () => {
      const res = await get('/fsa/m5x').expect(200);
      expect(res.body.healthRegions).toEqual([
        expect.objectContaining({ hrUid: 3595, estimatedPopulation: 0, share: 1 }),
      ]);
    });

    it('rejects unknown query parameters', async () => {
      const res = await get('/fsa/M5V?format=xml').expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'format' })]);
    });
  });

  describe('caching', () => {
    it('sends a strong ETag and Cache-Control, and 304 for a matching If-None-Match', async () => {
      const first = await get('/fsa/N0B').expect(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(first.headers['cache-control']).toBe('public, max-age=3600');
      expect(first.headers['content-type']).toMatch(/^application\/json/);

      for (const header of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
        const res = await get('/fsa/n0b').set('If-None-Match', header).expect(304);
        expect(res.text).toBe('');
        expect(res.headers.etag).toBe(etag);
        expect(res.headers['cache-control']).toBe('public, max-age=3600');
      }
      await get('/fsa/N0B').set('If-None-Match', '"nope"').expect(200);
      // Another resource has another tag.
      const other = await get('/fsa/M5V').set('If-None-Match', etag).expect(200);
      expect(other.headers.etag).not.toBe(etag);
    });

    it('tags paginated lists per response (their links differ by page)', async () => {
      // Page links are absolute: keep the host fixed (supertest picks a new port per request).
      const list = (query: string) => get(`/health-regions?${query}`).set('Host', 'porch.test');
      const page1 = await list('limit=10').expect(200);
      const page2 = await list('limit=10&offset=10').expect(200);
      expect(page1.headers.etag).not.toBe(page2.headers.etag);
      expect(page1.headers['cache-control']).toBe('public, max-age=3600');
      await list('limit=10')
        .set('If-None-Match', page1.headers.etag as string)
        .expect(304);
      for (const path of [
        '/provinces?limit=5',
        '/provinces/ON',
        '/health-regions/3595',
        '/health-regions/3595/fsas',
      ]) {
        const res = await get(path).set('Host', 'porch.test').expect(200);
        await get(path)
          .set('Host', 'porch.test')
          .set('If-None-Match', res.headers.etag as string)
          .expect(304);
      }
    });
  });

  describe('GET /health-regions', () => {
    it('pages through all regions by hrUid', async () => {
      const first = await get('/health-regions?limit=50').expect(200);
      expect(first.body.count).toBe(92);
      expect(first.body.results).toHaveLength(50);
      expect(first.body.previous).toBeNull();
      const next = new URL(first.body.next);
      expect(next.searchParams.get('offset')).toBe('50');
      const second = await get(`/health-regions?limit=50&offset=50`).expect(200);
      expect(second.body.next).toBeNull();
      const uids = [...hrUids(first.body), ...hrUids(second.body)];
      expect(uids).toEqual([...uids].sort((a, b) => a - b));
      expect(new Set(uids).size).toBe(92);
    });

    it('filters by province abbreviation (any case) or SGC code alike', async () => {
      const byAlpha = await get('/health-regions?province=ON&limit=100').expect(200);
      const byLower = await get('/health-regions?province=on&limit=100').expect(200);
      const byCode = await get('/health-regions?province=35&limit=100').expect(200);
      expect(byAlpha.body.count).toBe(34);
      expect(byCode.body.results).toEqual(byAlpha.body.results);
      expect(byLower.body.results).toEqual(byAlpha.body.results);
      for (const r of byAlpha.body.results as RegionBody[]) expect(r.province.alphaCode).toBe('ON');
    });

    it('gives an empty page for a well-formed code no province has', async () => {
      for (const code of ['ZZ', '99']) {
        const res = await get(`/health-regions?province=${code}`).expect(200);
        expect(res.body).toEqual({ count: 0, next: null, previous: null, results: [] });
      }
    });

    it('rejects a malformed province with 400 naming the field', async () => {
      for (const code of ['ONT', '3', '355', 'O1', '']) {
        const res = await get(`/health-regions?province=${code}`).expect(400);
        expect(res.body.errors).toEqual([{ field: 'province', message: expect.any(String) }]);
      }
    });

    it('searches English and French names ignoring accents and case', async () => {
      const montreal = await get('/health-regions?search=Montreal').expect(200);
      expect(hrUids(montreal.body)).toEqual([2406]);
      expect((montreal.body.results as RegionBody[])[0]!.nameFr).toBe('Région de Montréal');
      const accented = await get(
        `/health-regions?search=${encodeURIComponent('RÉGION de montréal')}`,
      );
      expect(hrUids(accented.body)).toEqual([2406]);
      // Only the accented official names contain it: folding is what finds them.
      for (const q of ['temiscamingue', 'Témiscamingue']) {
        const res = await get(`/health-regions?search=${encodeURIComponent(q)}`).expect(200);
        expect(hrUids(res.body)).toEqual([2408]);
      }
      // French-only names: "cité de Toronto" is not in the English name.
      const french = await get(`/health-regions?search=${encodeURIComponent('cite de toronto')}`);
      expect(hrUids(french.body)).toEqual([3595]);
      const quebec = await get('/health-regions?search=quebec&province=QC').expect(200);
      expect(hrUids(quebec.body)).toEqual([2404, 2410]);
      const none = await get('/health-regions?search=atlantis').expect(200);
      expect(none.body.count).toBe(0);
    });

    it('orders by a whitelisted field and rejects others', async () => {
      const res = await get('/health-regions?ordering=-population&limit=3').expect(200);
      const pops = (res.body.results as RegionBody[]).map((r) => r.population!);
      expect(pops).toEqual([...pops].sort((a, b) => b - a));
      expect(hrUids(res.body)[0]).toBe(3595);
      const byName = await get('/health-regions?ordering=nameEn&province=NB&limit=100').expect(200);
      expect((byName.body.results as RegionBody[]).map((r) => r.nameEn)[0]).toBe(
        'Zone 1 (Moncton area)',
      );
      const bad = await get('/health-regions?ordering=websiteEn').expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'ordering' })]);
    });

    it('rejects unknown query parameters', async () => {
      const res = await get('/health-regions?provinceCode=ON').expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'provinceCode' })]);
    });
  });

  describe('GET /health-regions/:hrUid', () => {
    it('gives a region with its province and FSA count', async () => {
      const res = await get('/health-regions/3595').expect(200);
      expect(res.body).toEqual({
        hrUid: 3595,
        province: { geoCode: 35, alphaCode: 'ON', nameEn: 'Ontario', nameFr: 'Ontario' },
        nameEn: 'City of Toronto Health Unit',
        nameFr: 'Circonscription sanitaire de la cité de Toronto',
        shortNameEn: 'Toronto',
        shortNameFr: 'Toronto',
        population: 2956024,
        websiteEn: 'http://www.toronto.ca/health',
        websiteFr: 'http://www.toronto.ca/health',
        fsaCount: 118,
      });
    });

    it('answers 404 for an unknown region and 400 for a non-integer id', async () => {
      await get('/health-regions/9999').expect(404);
      for (const id of ['abc', '35.5', '-1', '1e3']) {
        const res = await get(`/health-regions/${id}`).expect(400);
        expect(res.body.errors).toEqual([{ field: 'hrUid', message: expect.any(String) }]);
      }
    });
  });

  describe('GET /health-regions/:hrUid/fsas', () => {
    it("pages through a region's FSAs with this region's share of each", async () => {
      const res = await get('/health-regions/3565/fsas?limit=100').expect(200);
      const n0b = (res.body.results as Array<{ fsa: string; share: number }>).find(
        (f) => f.fsa === 'N0B',
      );
      expect(n0b).toEqual({ fsa: 'N0B', estimatedPopulation: 32341, share: 32341 / 69695 });
      const toronto = await get('/health-regions/3595/fsas?limit=5&offset=5').expect(200);
      expect(toronto.body.count).toBe(118);
      expect(toronto.body.results).toHaveLength(5);
      const fsas = (toronto.body.results as Array<{ fsa: string }>).map((f) => f.fsa);
      expect(fsas).toEqual([...fsas].sort());
    });

    it('gives an empty page for Nunavik (no FSA rows) and 404 for an unknown region', async () => {
      const nunavik = await get('/health-regions/2417/fsas').expect(200);
      expect(nunavik.body.count).toBe(0);
      await get('/health-regions/9999/fsas').expect(404);
    });
  });

  describe('provinces', () => {
    it('lists the 13 provinces and territories on one page, by SGC code', async () => {
      const res = await get('/provinces').expect(200);
      expect(res.body.count).toBe(13);
      expect(res.body.next).toBeNull();
      const codes = (res.body.results as Array<{ geoCode: number }>).map((p) => p.geoCode);
      expect(codes).toEqual([10, 11, 12, 13, 24, 35, 46, 47, 48, 59, 60, 61, 62]);
      const counts = (res.body.results as Array<{ healthRegionCount: number }>).map(
        (p) => p.healthRegionCount,
      );
      expect(counts.reduce((a, b) => a + b, 0)).toBe(92);
      const byName = await get('/provinces?ordering=-alphaCode&limit=1').expect(200);
      expect(byName.body.results[0].alphaCode).toBe('YT');
    });

    it('gives a province by abbreviation in any case or by SGC code', async () => {
      const on = await get('/provinces/ON').expect(200);
      expect(on.body).toEqual({
        geoCode: 35,
        alphaCode: 'ON',
        nameEn: 'Ontario',
        nameFr: 'Ontario',
        regionEn: 'Ontario',
        regionFr: 'Ontario',
        healthRegionCount: 34,
      });
      expect((await get('/provinces/on').expect(200)).text).toBe(on.text);
      expect((await get('/provinces/35').expect(200)).text).toBe(on.text);
    });

    it('answers 404 for an unknown province and 400 for a malformed code', async () => {
      await get('/provinces/ZZ').expect(404);
      await get('/provinces/99').expect(404);
      const res = await get('/provinces/ONT').expect(400);
      expect(res.body.errors).toEqual([{ field: 'code', message: expect.any(String) }]);
    });
  });

  describe('HealthRegionsCatalog.resolve (for other modules)', () => {
    it('resolves postal codes and FSAs, and gives null otherwise', () => {
      const catalog = t.app.get(HealthRegionsCatalog);
      const answer = catalog.resolve('m5v 2t6');
      expect(answer?.fsa).toBe('M5V');
      expect(answer?.healthRegions.map((r) => r.hrUid)).toEqual([3595]);
      expect(catalog.resolve('M5V')).toBe(answer);
      expect(Object.isFrozen(answer)).toBe(true);
      expect(catalog.resolve('nonsense')).toBeNull();
      expect(catalog.resolve('K0Z 1A1')).toBeNull();
    });
  });
});
