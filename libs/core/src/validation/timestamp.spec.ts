import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsTimestamp, isTimestamp } from './timestamp.js';

class AsString {
  @IsTimestamp()
  at!: unknown;
}
class AsDate {
  @IsTimestamp({ asDate: true })
  at!: unknown;
}

describe('IsTimestamp', () => {
  it.each(['2026-11-22T20:00:00Z', '2026-11-22T20:00:00.123456789+01:00', '2026-11-22T20:00-0500'])(
    'accepts %p',
    (at) => {
      expect(isTimestamp(at)).toBe(true);
      expect(validateSync(plainToInstance(AsString, { at }))).toEqual([]);
      const parsed = plainToInstance(AsDate, { at });
      expect(validateSync(parsed)).toEqual([]);
      expect(parsed.at).toBeInstanceOf(Date);
    },
  );

  it.each(['2026-11-22T20:00:00', '2026-11-22', '2026-13-45T99:00:00Z', 1_700_000_000, null])(
    'rejects %p, naming the field',
    (at) => {
      for (const cls of [AsString, AsDate]) {
        const [error] = validateSync(plainToInstance(cls, { at }));
        expect(Object.values(error!.constraints!)).toEqual([
          'at must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-22T20:00:00.000Z',
        ]);
      }
    },
  );
});
