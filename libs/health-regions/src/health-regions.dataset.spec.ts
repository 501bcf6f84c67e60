import {
  checksumHealthRegionsFiles,
  DatasetError,
  parseHealthRegionsFiles,
  readHealthRegionsFiles,
  type HealthRegionsFiles,
} from './health-regions.dataset.js';

describe('health-regions data set', () => {
  let shipped: HealthRegionsFiles;
  beforeAll(async () => {
    shipped = await readHealthRegionsFiles();
  });

  /** The shipped files with one file's text transformed. */
  const edited = (key: keyof HealthRegionsFiles, edit: (text: string) => string) => ({
    ...shipped,
    [key]: Buffer.from(edit(shipped[key].toString('utf8'))),
  });

  it('reads the shipped files: 13 provinces, 92 regions, 1,956 FSA rows', () => {
    const data = parseHealthRegionsFiles(shipped);
    expect(data.provinces).toHaveLength(13);
    expect(data.healthRegions).toHaveLength(92);
    expect(data.fsaHealthRegions).toHaveLength(1956);
    expect(new Set(data.fsaHealthRegions.map((f) => f.fsa)).size).toBe(1636);
    expect(data.fsaHealthRegions.filter((f) => f.estimatedPopulation === null)).toHaveLength(136);
    expect(data.provinces.find((p) => p.alphaCode === 'ON')).toEqual({
      geoCode: 35,
      alphaCode: 'ON',
      nameEn: 'Ontario',
      nameFr: 'Ontario',
      regionEn: 'Ontario',
      regionFr: 'Ontario',
    });
    // Quoted values with commas survive; the longest website is kept whole.
    expect(Math.max(...data.healthRegions.map((r) => r.websiteEn?.length ?? 0))).toBe(206);
  });

  it('has a checksum that follows every byte', () => {
    const checksum = checksumHealthRegionsFiles(shipped);
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(checksumHealthRegionsFiles({ ...shipped })).toBe(checksum);
    const changed = edited('healthRegions', (t) => t.replace('Toronto', 'Torontp'));
    expect(checksumHealthRegionsFiles(changed)).not.toBe(checksum);
  });

  it.each<[string, keyof HealthRegionsFiles, (t: string) => string, RegExp]>([
    [
      'a missing column',
      'provinces',
      (t) => t.replace(',region_fr', ',region_french'),
      /provinces\.csv: header .*missing: region_fr; unexpected: region_french/,
    ],
    [
      'a malformed FSA',
      'fsaHealthRegions',
      (t) => t.replace('A0A,1011', 'a0a,1011'),
      /fsa_health_regions\.csv line 2, fsa: must match/,
    ],
    [
      'an unknown region',
      'fsaHealthRegions',
      (t) => t.replace('A0A,1011', 'A0A,1099'),
      /line 2, hr_uid: no such health region/,
    ],
    [
      'an FSA row in another province than its region',
      'fsaHealthRegions',
      (t) => t.replace('A0A,1011,10', 'A0A,1011,11'),
      /line 2, province_geo_code: health region 1011 is in province 10/,
    ],
    [
      'a duplicate key',
      'fsaHealthRegions',
      (t) => t + 'A0A,1011,10,1\n',
      /duplicate FSA\/health region pair A0A\/1011/,
    ],
    [
      'a non-numeric population',
      'healthRegions',
      (t) => t.replace(',37286,', ',lots,'),
      /health_regions\.csv line 2, population: must be a non-negative integer/,
    ],
  ])('rejects %s, naming the place', (_, key, edit, message) => {
    expect(() => parseHealthRegionsFiles(edited(key, edit))).toThrow(DatasetError);
    expect(() => parseHealthRegionsFiles(edited(key, edit))).toThrow(message);
  });
});
