/** One region's part of an FSA, as stored. */
export interface FsaPart {
  hrUid: number;
  estimatedPopulation: number | null;
}

/**
 * Each part's share of the FSA's population: its estimate over the sum of the known estimates (a
 * missing estimate counts 0). When nothing is known (the sum is 0, as in business districts such
 * as `M5X`), every part gets an equal share. Ordered by share, largest first, then by `hrUid`.
 */
export function withShares<T extends FsaPart>(parts: readonly T[]): Array<T & { share: number }> {
  const total = parts.reduce((sum, p) => sum + (p.estimatedPopulation ?? 0), 0);
  return parts
    .map((p) => ({
      ...p,
      share: total > 0 ? (p.estimatedPopulation ?? 0) / total : 1 / parts.length,
    }))
    .sort((a, b) => b.share - a.share || a.hrUid - b.hrUid);
}
