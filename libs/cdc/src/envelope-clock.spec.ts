import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { now } from './envelope.js';

describe("the envelope's clock (payload.ts_ms/ts_us/ts_ns)", () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('agrees with Date.now() to the millisecond, with sub-millisecond digits', () => {
    const before = Date.now();
    const { us, ns } = now();
    const after = Date.now();
    expect(Number(us / 1000n)).toBeGreaterThanOrEqual(before);
    expect(Number(us / 1000n)).toBeLessThanOrEqual(after);
    expect(us).toBe(ns / 1000n);
  });

  it('follows the wall clock when it steps (the monotonic clock alone would not)', () => {
    const real = Date.now();
    for (const step of [5_000, -5_000, 3_600_000]) {
      jest.spyOn(Date, 'now').mockReturnValue(real + step);
      expect(Number(now().us / 1000n)).toBe(real + step);
      jest.restoreAllMocks();
    }
    expect(Math.abs(Number(now().us / 1000n) - Date.now())).toBeLessThanOrEqual(1);
  });
});
