import { emailProblem, normalizeEmail } from './emails.js';

describe('normalizeEmail', () => {
  it.each([
    ['ａｄｍｉｎ@ｐｏｒｃｈ．ｌｏｃａｌ', 'admin@porch.local'], // full-width
    ['  Ann.Lee@Example.TEST ', 'ann.lee@example.test'],
    ['ﬁona@example.test', 'fiona@example.test'], // the ﬁ ligature
    ['Ｊöｒｇ@example.test', 'jörg@example.test'],
    ['jo\u0308rg@example.test', 'jörg@example.test'], // o + combining diaeresis → ö
    ['ΣΟΦΙΑ@example.gr', 'σοφια@example.gr'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });
});

describe('emailProblem (what may be registered)', () => {
  it.each([
    'admin@porch.local',
    'ann.lee+porch@example.test',
    "o'brien@example.test",
    'jörg.müller@example.de',
    'łukasz@example.pl',
    'σοφια@example.gr', // all Greek
    'андрей@пример.рф', // all Cyrillic
    'やまだ太郎@example.jp', // Hiragana + Han: Japanese is one script
    '김민준漢@example.kr', // Hangul + Han: Korean
    'user123@example.test',
  ])('accepts %s', (email) => {
    expect(emailProblem(normalizeEmail(email))).toBeNull();
  });

  it.each([
    ['аdmin@porch.local', /mixes letters of different scripts/], // Cyrillic а + Latin
    ['pаypal@example.test', /mixes/],
    ['admin@pοrch.local', /domain mixes/], // Greek omicron in the domain
    ['αdmin@example.test', /mixes/], // Greek alpha + Latin
    ['admın@porch.local', /U\+0131.*reads as another letter/], // dotless ı
    ['ɑdmin@porch.local', /U\+0251/], // Latin alpha
    ['ᴀdmin@porch.local', /U\+1D00/], // small capital A
    ['ad min@porch.local', /U\+0020/],
    ['admin☃@porch.local', /U\+2603/],
    ['admin\u200b@porch.local', /U\+200B/], // zero-width space
    ['ᚠadmin@porch.local', /script not used in addresses/], // Runic
  ])('refuses %s', (email, reason) => {
    expect(emailProblem(normalizeEmail(email))).toMatch(reason);
  });

  it('sees through full-width spoofing after normalization', () => {
    // Full-width Latin normalizes to plain Latin: not refused, but the same account.
    expect(normalizeEmail('ａｄｍｉｎ@porch.local')).toBe('admin@porch.local');
  });
});
