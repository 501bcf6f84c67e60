import { withShares } from './fsa-shares.js';

const sum = (xs: Array<{ share: number }>) => xs.reduce((s, x) => s + x.share, 0);

describe('withShares', () => {
  it('divides each estimate by the FSA total, largest share first', () => {
    const parts = withShares([
      { hrUid: 1, estimatedPopulation: 100 },
      { hrUid: 2, estimatedPopulation: 300 },
    ]);
    expect(parts).toEqual([
      { hrUid: 2, estimatedPopulation: 300, share: 0.75 },
      { hrUid: 1, estimatedPopulation: 100, share: 0.25 },
    ]);
  });

  it('counts a missing estimate as 0 and keeps it null', () => {
    const parts = withShares([
      { hrUid: 1, estimatedPopulation: null },
      { hrUid: 2, estimatedPopulation: 50 },
    ]);
    expect(parts).toEqual([
      { hrUid: 2, estimatedPopulation: 50, share: 1 },
      { hrUid: 1, estimatedPopulation: null, share: 0 },
    ]);
  });

  it('shares equally when nothing is known (sum 0), ordered by hrUid', () => {
    const parts = withShares([
      { hrUid: 9, estimatedPopulation: 0 },
      { hrUid: 3, estimatedPopulation: null },
      { hrUid: 5, estimatedPopulation: 0 },
    ]);
    expect(parts.map((p) => [p.hrUid, p.share])).toEqual([
      [3, 1 / 3],
      [5, 1 / 3],
      [9, 1 / 3],
    ]);
    expect(sum(parts)).toBeCloseTo(1, 12);
  });

  it('breaks ties on share by hrUid and sums to 1 (N0B)', () => {
    const n0b = [
      [3527, 1438],
      [3536, 506],
      [3537, 1001],
      [3539, 923],
      [3565, 32341],
      [3566, 29786],
      [3575, 3700],
    ].map(([hrUid, estimatedPopulation]) => ({
      hrUid: hrUid!,
      estimatedPopulation: estimatedPopulation!,
    }));
    const parts = withShares(n0b);
    expect(parts.map((p) => p.hrUid)).toEqual([3565, 3566, 3575, 3527, 3537, 3539, 3536]);
    expect(sum(parts)).toBeCloseTo(1, 12);
    expect(
      withShares([
        { hrUid: 7, estimatedPopulation: 10 },
        { hrUid: 4, estimatedPopulation: 10 },
      ]).map((p) => p.hrUid),
    ).toEqual([4, 7]);
  });

  it('does not change its input', () => {
    const input = [{ hrUid: 1, estimatedPopulation: 1 }];
    withShares(input);
    expect(input).toEqual([{ hrUid: 1, estimatedPopulation: 1 }]);
  });
});
