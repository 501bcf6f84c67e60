import { jest } from '@jest/globals';
import { FixedWindowThrottlerStorage } from './fixed-window-storage.js';

describe('FixedWindowThrottlerStorage', () => {
  let storage: FixedWindowThrottlerStorage;
  const start = new Date('2026-01-01T00:00:00Z').getTime();

  beforeEach(() => {
    jest.useFakeTimers({ now: start });
    storage = new FixedWindowThrottlerStorage();
  });
  afterEach(() => {
    storage.onApplicationShutdown();
    jest.useRealTimers();
  });

  const hit = (key = 'ip:1', blockDuration = 60_000) =>
    storage.increment(key, 60_000, 3, blockDuration, 'default');

  it('counts hits in one window and blocks past the limit', async () => {
    expect(await hit()).toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    await hit();
    expect((await hit()).isBlocked).toBe(false);
    jest.advanceTimersByTime(10_000);
    expect(await hit()).toEqual({
      totalHits: 4,
      timeToExpire: 50,
      isBlocked: true,
      timeToBlockExpire: 60,
    });
  });

  it('keeps keys and throttler names apart', async () => {
    for (let i = 0; i < 4; i++) await hit('ip:1');
    expect((await hit('ip:2')).totalHits).toBe(1);
    expect((await storage.increment('ip:1', 60_000, 3, 60_000, 'other')).totalHits).toBe(1);
  });

  it('stays blocked for the block duration, then opens a new window', async () => {
    for (let i = 0; i < 4; i++) await hit('ip:1', 90_000);
    jest.advanceTimersByTime(61_000);
    const still = await hit('ip:1', 90_000);
    expect(still.isBlocked).toBe(true);
    expect(still.timeToBlockExpire).toBe(29);
    jest.advanceTimersByTime(30_000);
    expect(await hit('ip:1', 90_000)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts a fresh window after the ttl', async () => {
    await hit();
    await hit();
    jest.advanceTimersByTime(60_000);
    expect(await hit()).toMatchObject({ totalHits: 1, timeToExpire: 60 });
  });
});
