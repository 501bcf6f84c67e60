import { csvStringifier, neutralizeFormula } from './csv.js';

async function csv(columns: string[], rows: Record<string, unknown>[]): Promise<string> {
  const stringifier = csvStringifier(columns);
  const chunks: string[] = [];
  stringifier.on('data', (c: Buffer) => chunks.push(c.toString()));
  const done = new Promise((resolve) => stringifier.on('end', resolve));
  for (const row of rows) stringifier.write(row);
  stringifier.end();
  await done;
  return chunks.join('');
}

describe('neutralizeFormula', () => {
  it.each(['=1+1', '+1+1', '-1+2', '-A1', '+SUM(A1)', '@SUM(A1)', '\tx', '\rx', '\t5', '--'])(
    'prefixes %j with a quote',
    (v) => {
      expect(neutralizeFormula(v)).toBe(`'${v}`);
    },
  );
  it.each(['plain', '1=1', "'=already", '', '+1', '-1', '-5.25', '+3e4', '-.5', '+', '*', '/'])(
    'leaves %j alone (not something a spreadsheet evaluates as a formula)',
    (v) => {
      expect(neutralizeFormula(v)).toBe(v);
    },
  );
});

describe('csvStringifier', () => {
  it('writes RFC 4180 with a header row, even with no rows', async () => {
    expect(await csv(['a', 'b'], [])).toBe('a,b\r\n');
    expect(await csv(['a', 'b'], [{ a: 'a,b "c"\nd', b: 'x' }])).toBe(
      'a,b\r\n"a,b ""c""\nd",x\r\n',
    );
  });

  it('formats values: ISO dates, true/false, empty nulls, JSON, neutralized text', async () => {
    const out = await csv(
      ['d', 't', 'f', 'n', 'j', 'num', 'evil'],
      [
        {
          d: new Date('2026-11-22T20:00:00Z'),
          t: true,
          f: false,
          n: null,
          j: { k: 1 },
          num: -5,
          evil: '=HYPERLINK("x")',
        },
      ],
    );
    expect(out.split('\r\n')[1]).toBe(
      `2026-11-22T20:00:00.000Z,true,false,,"{""k"":1}",-5,"'=HYPERLINK(""x"")"`,
    );
  });
});
