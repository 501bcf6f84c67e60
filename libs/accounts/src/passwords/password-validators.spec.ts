import {
  checkCommonPassword,
  checkMinimumLength,
  checkNumeric,
  checkUserAttributeSimilarity,
  loadCommonPasswords,
  PasswordPolicy,
  quickRatio,
} from './password-validators.js';

describe("Django's password validators", () => {
  const user = { email: 'jane.doe@uni.example', name: 'Jane Doe' };

  it("computes difflib's quick_ratio (values from CPython)", () => {
    expect(quickRatio('janedoe123', 'jane.doe@uni.ca')).toBeCloseTo(0.56, 10);
    expect(quickRatio('abcdef', 'fedcba')).toBe(1);
    expect(quickRatio('password', 'pass')).toBeCloseTo(2 / 3, 10);
    expect(quickRatio('aab', 'abb')).toBeCloseTo(2 / 3, 10);
    expect(quickRatio('héllo', 'hello')).toBeCloseTo(0.8, 10);
    expect(quickRatio('', '')).toBe(1);
  });

  it('refuses passwords shorter than 8 characters, counting code points', () => {
    expect(checkMinimumLength('short')).toBe(
      'This password is too short. It must contain at least 8 characters.',
    );
    expect(checkMinimumLength('12345678')).toBeNull();
    expect(checkMinimumLength('😀😀😀😀')).not.toBeNull(); // 4 code points, 8 UTF-16 units
  });

  it('refuses passwords too similar to the email, its parts, or the name', () => {
    expect(checkUserAttributeSimilarity('janedoe1', user)).toBe(
      'The password is too similar to the name.',
    );
    expect(checkUserAttributeSimilarity('Jane.Doe@uni', user)).toBe(
      'The password is too similar to the email address.',
    );
    expect(checkUserAttributeSimilarity('uni.example', user)).toBe(
      'The password is too similar to the email address.',
    );
    expect(checkUserAttributeSimilarity('doejane99', user)).toBe(
      'The password is too similar to the name.',
    );
    expect(checkUserAttributeSimilarity('x7#Lq9!vTz', user)).toBeNull();
    expect(checkUserAttributeSimilarity('J4n3D0e!', user)).toBeNull();
    expect(checkUserAttributeSimilarity('janedoe1', undefined)).toBeNull();
  });

  it("ships Django's list of 19,727 common passwords and matches it case-insensitively", () => {
    const common = loadCommonPasswords();
    expect(common.size).toBe(19727);
    expect(checkCommonPassword('password', common)).toBe('This password is too common.');
    expect(checkCommonPassword('Password ', common)).toBe('This password is too common.');
    expect(checkCommonPassword('qwertyuiop', common)).not.toBeNull();
    expect(checkCommonPassword('correct-horse-battery-staple', common)).toBeNull();
  });

  it('refuses entirely numeric passwords', () => {
    expect(checkNumeric('18273645')).toBe('This password is entirely numeric.');
    expect(checkNumeric('1827364a')).toBeNull();
  });

  it('reports every broken rule at once, as Django does (same verdicts as Django 3.2)', () => {
    const policy = new PasswordPolicy();
    const cases: [string, string[]][] = [
      ['short', ['This password is too short. It must contain at least 8 characters.']],
      ['12345678', ['This password is too common.', 'This password is entirely numeric.']],
      [
        'enajeod',
        [
          'This password is too short. It must contain at least 8 characters.',
          'The password is too similar to the email address.',
        ],
      ],
      ['exampleexample', []],
      ['correct-horse-battery-staple', []],
    ];
    for (const [password, expected] of cases)
      expect(policy.problems(password, user)).toEqual(expected);
  });

  it('throws a 400 validation problem naming the field', () => {
    const policy = new PasswordPolicy();
    expect(() => policy.assertValid('123', user, 'newPassword')).toThrow(
      expect.objectContaining({
        response: expect.objectContaining({
          status: 400,
          errors: expect.arrayContaining([
            { field: 'newPassword', message: 'This password is entirely numeric.' },
          ]),
        }),
      }),
    );
  });
});
