import { parseIdempotencyKey, requestFingerprint } from './idempotency-key.js';

describe('parseIdempotencyKey', () => {
  it('takes a bare key or a Structured Field string, 1–255 printable ASCII characters', () => {
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe(
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
    );
    expect(parseIdempotencyKey('"8e03978e"')).toBe('8e03978e');
    expect(parseIdempotencyKey('"say \\"hi\\" \\\\o/"')).toBe('say "hi" \\o/');
    expect(parseIdempotencyKey('a'.repeat(255))).toBe('a'.repeat(255));
    expect(parseIdempotencyKey('with space')).toBe('with space');
  });

  it('refuses empty, too long, non-printable and malformed quoted keys', () => {
    for (const bad of [
      '',
      '""',
      'a'.repeat(256),
      'tab\there',
      'é',
      '"a"b"',
      '"bad \\x"',
      '"end\\"',
    ])
      expect([bad, parseIdempotencyKey(bad)]).toEqual([bad, undefined]);
  });
});

describe('requestFingerprint', () => {
  it('ignores the order of object keys, not anything else', () => {
    const a = requestFingerprint('POST', '/api/v1/invites', { partyId: 'p', guestId: 'g' });
    expect(requestFingerprint('POST', '/api/v1/invites', { guestId: 'g', partyId: 'p' })).toBe(a);
    expect(requestFingerprint('PATCH', '/api/v1/invites', { partyId: 'p', guestId: 'g' })).not.toBe(
      a,
    );
    expect(
      requestFingerprint('POST', '/api/v1/invites?x=1', { partyId: 'p', guestId: 'g' }),
    ).not.toBe(a);
    expect(requestFingerprint('POST', '/api/v1/invites', { partyId: 'p', guestId: 'h' })).not.toBe(
      a,
    );
    expect(requestFingerprint('POST', '/api/v1/invites', [1, 2])).not.toBe(
      requestFingerprint('POST', '/api/v1/invites', [2, 1]),
    );
  });
});
