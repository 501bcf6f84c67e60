import { diff, REDACTED } from './changes.js';

const secrets = new Set(['password']);

describe('diff()', () => {
  it('lists changed fields only, never updatedAt', () => {
    expect(
      diff({ name: 'a', age: 1, updatedAt: 'x' }, { name: 'b', age: 1, updatedAt: 'y' }, secrets),
    ).toEqual({ name: { from: 'a', to: 'b' } });
  });

  it('redacts secrets, and counts a secret that was not loaded as set', () => {
    expect(diff({ password: 'old' }, { password: 'new' }, secrets)).toEqual({
      password: { from: REDACTED, to: REDACTED },
    });
    expect(diff({ name: 'a' }, { name: 'a', password: 'new' }, secrets)).toEqual({
      password: { from: REDACTED, to: REDACTED },
    });
  });

  it('records a creation from null, skipping empty fields', () => {
    expect(diff(null, { name: 'a', bio: null, password: 'h' }, secrets)).toEqual({
      name: { from: null, to: 'a' },
      password: { from: null, to: REDACTED },
    });
  });

  it('records a removal as every field going to null', () => {
    expect(diff({ name: 'a', bio: null, password: 'h', updatedAt: 'x' }, null, secrets)).toEqual({
      name: { from: 'a', to: null },
      password: { from: REDACTED, to: null },
    });
  });
});
