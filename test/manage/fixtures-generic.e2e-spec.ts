import {
  Collection,
  Entity,
  Enum,
  ManyToMany,
  ManyToOne,
  MikroORM,
  OneToOne,
  PrimaryKey,
  Property,
  type Rel,
} from '@mikro-orm/postgresql';
import { NaturalKey, Secret } from '#porch/core';
import { entityTables } from '../../apps/manage/src/model/entity-tables.js';
import { renderErd } from '../../apps/manage/src/model/erd.js';
import { dumpRecords } from '../../apps/manage/src/model/fixtures-dump.js';
import { loadRecords } from '../../apps/manage/src/model/fixtures-load.js';
import { connect, type FixtureRecord } from '../../apps/manage/src/model/fixtures.js';
import { createEmptyDatabase } from '../utils/database.js';

/*
 * Entities that Porch's modules do not have (yet): numeric and composite keys, a pivot table,
 * a self-reference, a one-to-one, JSON, arrays, big numbers, a serial id. Dump and load work from
 * metadata alone, so these must round-trip as exactly as users do.
 */
@Entity({ tableName: 'g_provinces' })
@NaturalKey('code')
class GProvince {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  geo!: number;

  @Property({ type: 'varchar', length: 2, unique: true })
  code!: string;
}

@Entity({ tableName: 'g_regions' })
class GRegion {
  @PrimaryKey({ type: 'varchar', length: 3 })
  fsa!: string;

  @ManyToOne(() => GProvince, { primary: true })
  province!: Rel<GProvince>;

  @Property({ type: 'bigint', nullable: true })
  population?: string | null;

  @Property({ type: 'numeric', precision: 10, scale: 4, nullable: true })
  share?: string | null;
}

enum Mood {
  Calm = 'calm',
  Loud = 'loud',
}

@Entity({ tableName: 'g_tags' })
class GTag {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'text' })
  label!: string;
}

@Entity({ tableName: 'g_notes' })
class GNote {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => GNote, { nullable: true })
  parent?: Rel<GNote> | null;

  @ManyToOne(() => GProvince)
  province!: Rel<GProvince>;

  @ManyToMany(() => GTag)
  tags = new Collection<GTag>(this);

  @Property({ type: 'jsonb' })
  details!: unknown;

  @Property({ type: 'text[]' })
  words!: string[];

  @Property({ type: 'double', nullable: true })
  ratio?: number | null;

  @Property({ type: 'date' })
  day!: string;

  @Property({ type: 'datetime' })
  at!: Date;

  @Property({ type: 'string', columnType: 'timestamp', nullable: true })
  localAt?: string | null;

  @Property({ type: 'blob', nullable: true })
  bytes?: Buffer | null;

  @Enum({ items: () => Mood })
  mood!: Mood;

  @Property({ type: 'text' })
  @Secret()
  token!: string;
}

@Entity({ tableName: 'g_note_meta' })
class GNoteMeta {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @OneToOne(() => GNote, { owner: true })
  note!: Rel<GNote>;
}

const ENTITIES = [GProvince, GRegion, GTag, GNote, GNoteMeta];

async function schemaDatabase() {
  const db = await createEmptyDatabase();
  const orm = await MikroORM.init({
    clientUrl: db.url,
    entities: ENTITIES,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: false },
  });
  await orm.schema.createSchema();
  return {
    orm,
    url: db.url,
    close: async () => {
      await orm.close(true);
      await db.drop();
    },
  };
}

describe('fixtures over any entity', () => {
  let a: Awaited<ReturnType<typeof schemaDatabase>>;
  let b: Awaited<ReturnType<typeof schemaDatabase>>;
  beforeAll(async () => {
    [a, b] = await Promise.all([schemaDatabase(), schemaDatabase()]);
    await a.orm.em.getConnection().execute(`
      insert into g_provinces (geo, code) values (35, 'ON'), (24, 'QC');
      insert into g_regions (fsa, province_geo, population, share) values
        ('K1A', 35, '9007199254740993', 0.1250), ('H2X', 24, null, null);
      insert into g_tags (label) values ('a'), ('b'), ('c');
      insert into g_notes (id, parent_id, province_geo, details, words, ratio, day, "at", local_at, bytes, mood, token) values
        ('00000000-0000-7000-8000-000000000002', null, 35, '{"z": 1, "a": [1, "x", null], "n": {"deep": true}}',
         '{"one","two, three","quote\\"d"}', 0.1, '2026-02-28', '2026-11-22 20:00:00.000001+00',
         '2026-11-22 20:00:00.5', '\\x000102ff', 'calm', 's3cret'),
        ('00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002', 24, '[]',
         '{}', null, '1999-12-31', '1970-01-01 00:00:00+00', null, null, 'loud', 'other');
      insert into g_notes_tags (gnote_id, gtag_id) values
        ('00000000-0000-7000-8000-000000000002', 1), ('00000000-0000-7000-8000-000000000002', 3),
        ('00000000-0000-7000-8000-000000000001', 2);
      insert into g_note_meta (note_id) values ('00000000-0000-7000-8000-000000000001');
    `);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  const dump = async (url: string, orm: MikroORM, natural = false, includeSecrets = true) => {
    const tables = entityTables(orm.getMetadata());
    const client = await connect(url);
    try {
      const records: FixtureRecord[] = [];
      for await (const r of dumpRecords(client, tables, tables, {
        includeSecrets,
        natural,
        batchSize: 2,
      })) {
        records.push(r);
      }
      return records;
    } finally {
      await client.end();
    }
  };

  const load = async (url: string, orm: MikroORM, records: unknown) => {
    const client = await connect(url);
    try {
      await client.query('begin');
      const n = await loadRecords(client, records, entityTables(orm.getMetadata()));
      await client.query('commit');
      return n;
    } finally {
      await client.end();
    }
  };

  it('orders tables so that every reference points backwards', () => {
    const names = entityTables(a.orm.getMetadata()).map((t) => t.name);
    const before = (x: string, y: string) =>
      expect(names.indexOf(x)).toBeLessThan(names.indexOf(y));
    before('GProvince', 'GRegion');
    before('GProvince', 'GNote');
    before('GNote', 'GNoteMeta');
    const pivot = names.find((n) => n !== 'GNote' && /tags/i.test(n) && n !== 'GTag')!;
    before('GTag', pivot);
    before('GNote', pivot);
  });

  it('writes exact values: big numbers as strings, microseconds, bytes as base64, composite keys', async () => {
    const records = await dump(a.url, a.orm);
    const region = records.find((r) => r.model === 'GRegion' && (r.pk as unknown[])[0] === 'K1A')!;
    expect(region).toEqual({
      model: 'GRegion',
      pk: ['K1A', 35],
      fields: { population: '9007199254740993', share: '0.1250' },
    });
    const note = records.find((r) => r.pk === '00000000-0000-7000-8000-000000000002')!;
    expect(note.fields).toMatchObject({
      parent: null,
      details: { z: 1, a: [1, 'x', null], n: { deep: true } },
      words: ['one', 'two, three', 'quote"d'],
      ratio: 0.1,
      day: '2026-02-28',
      at: '2026-11-22T20:00:00.000001Z',
      localAt: '2026-11-22T20:00:00.500',
      bytes: Buffer.from([0, 1, 2, 255]).toString('base64'),
      mood: 'calm',
      token: 's3cret',
    });
    expect((await dump(a.url, a.orm, false, false)).some((r) => 'token' in r.fields)).toBe(false);
  });

  it('round-trips through an empty database, with and without natural keys', async () => {
    for (const natural of [false, true]) {
      const first = await dump(a.url, a.orm, natural);
      await load(b.url, b.orm, JSON.parse(JSON.stringify(first)));
      expect(JSON.stringify(await dump(b.url, b.orm, natural))).toBe(JSON.stringify(first));
    }
    const natural = await dump(a.url, a.orm, true);
    expect(natural.find((r) => r.model === 'GRegion')!.pk).toEqual(['H2X', ['QC']]);
    // Sequences moved past the loaded ids: the next tag gets a fresh one.
    const [{ id }] = await b.orm.em
      .getConnection()
      .execute(`insert into g_tags (label) values ('d') returning id`);
    expect(id).toBe(4);
  });

  it('draws the pivot table and the one-to-one in the diagram', () => {
    const erd = renderErd(entityTables(a.orm.getMetadata()));
    expect(erd).toContain('GNote ||--o| GNoteMeta : "note"');
    expect(erd).toContain('GNote |o--o{ GNote : "parent"');
    expect(erd).toMatch(/GTag \|\|--o\{ g_notes_tags : "\w+"/);
    expect(erd).toMatch(/GNote \|\|--o\{ g_notes_tags : "\w+"/);
    expect(erd).toMatch(/text\[\] words/);
  });
});
