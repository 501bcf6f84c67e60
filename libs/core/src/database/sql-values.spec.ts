import { timestamp } from './sql-values.js';

/** What `timestamp` did before its fast path: normalize to ISO, let Date parse it. */
const parsed = (text: string) => new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));

/** PostgreSQL's text of a timestamptz in a UTC session: the fraction's trailing zeros dropped. */
function postgresText(ms: number, micros: number): string {
  const iso = new Date(ms - (ms % 1000)).toISOString();
  const fraction = String(micros).padStart(6, '0').replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}+00`;
}

describe('timestamp', () => {
  it('parses PostgreSQL UTC text to the instant Date parses, and writes it as toISOString did', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const texts = [
      '2026-11-22 20:00:00+00',
      '2026-11-22 20:00:00.5+00',
      '1999-12-31 23:59:59.999999+00',
    ];
    for (let k = 0; k < 5000; k++)
      texts.push(postgresText(Math.floor(random() * 4e12) - 1e12, Math.floor(random() * 1e6)));
    for (const text of texts) {
      const value = timestamp(text);
      const expected = parsed(text);
      expect([text, value.getTime()]).toEqual([text, expected.getTime()]);
      expect(value.toISOString()).toBe(expected.toISOString());
      expect(JSON.stringify({ value })).toBe(JSON.stringify({ value: expected }));
      expect(value).toBeInstanceOf(Date);
    }
  });

  it('falls back to parsing for other zones and forms', () => {
    for (const text of [
      '2026-11-22 15:00:00-05',
      '2026-11-22 20:00:00.25+05:30',
      '0099-01-01 00:00:00+00',
      '2026-02-30 00:00:00+00',
      '2026-13-01 00:00:00+00',
      '2026-11-22 24:00:00+00',
      '12026-11-22 20:00:00+00',
      '2026-11-22T20:00:00Z',
    ])
      expect([text, timestamp(text).getTime()]).toEqual([text, parsed(text).getTime()]);
    expect(Number.isNaN(timestamp('infinity').getTime())).toBe(true);
    expect(timestamp(null)).toBeNull();
    const date = new Date();
    expect(timestamp(date)).toBe(date);
  });

  it('formats anew once its time is changed', () => {
    const value = timestamp('2026-11-22 20:00:00+00');
    value.setTime(Date.UTC(2027, 0, 1));
    expect(value.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(JSON.stringify(value)).toBe('"2027-01-01T00:00:00.000Z"');
  });
});
