import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import { REPO_ROOT, ValidationProblem } from '#porch/core';

/**
 * Django's four default password validators (django.contrib.auth.password_validation), with
 * Django's messages, so a password that Django refused is refused here too.
 */

/** The user attributes a password must not resemble (Django: username, names, email). */
export interface PasswordUserAttributes {
  email?: string | null;
  name?: string | null;
}

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_SIMILARITY = 0.7;

/** Python's `len()`: code points, not UTF-16 units. */
const length = (s: string) => [...s].length;

/**
 * difflib's `SequenceMatcher(a, b).quick_ratio()`: 2·M / (|a| + |b|), M the size of the multiset
 * intersection of their characters. Django's similarity check uses exactly this bound.
 */
export function quickRatio(a: string, b: string): number {
  const total = length(a) + length(b);
  if (total === 0) return 1;
  const available = new Map<string, number>();
  for (const ch of b) available.set(ch, (available.get(ch) ?? 0) + 1);
  let matches = 0;
  for (const ch of a) {
    const left = available.get(ch) ?? 0;
    if (left > 0) matches++;
    available.set(ch, left - 1);
  }
  return (2 * matches) / total;
}

/** Django's shortcut: a value ≥ 10× shorter than the password cannot reach the similarity. */
function exceedsMaximumLengthRatio(password: string, maxSimilarity: number, value: string) {
  const pwdLen = length(password);
  const valueLen = length(value);
  return pwdLen >= 10 * valueLen && valueLen < (maxSimilarity / 2) * pwdLen;
}

/** MinimumLengthValidator. */
export function checkMinimumLength(password: string, min = MIN_PASSWORD_LENGTH): string | null {
  return length(password) < min
    ? `This password is too short. It must contain at least ${min} character${min === 1 ? '' : 's'}.`
    : null;
}

/**
 * UserAttributeSimilarityValidator: compares the password with each attribute and with each of its
 * parts split on non-word characters (so `jane.doe@uni.ca` also yields `jane`, `doe`, `uni`, `ca`).
 */
export function checkUserAttributeSimilarity(
  password: string,
  user: PasswordUserAttributes | undefined,
  maxSimilarity = MAX_SIMILARITY,
): string | null {
  if (!user) return null;
  const pwd = password.toLowerCase();
  const attributes: [string, string | null | undefined][] = [
    ['email address', user.email],
    ['name', user.name],
  ];
  for (const [verboseName, value] of attributes) {
    if (!value) continue;
    const lower = value.toLowerCase();
    // Python's \W: anything but Unicode letters, digits and underscore.
    const parts = [...lower.split(/[^\p{L}\p{N}_]+/u), lower];
    for (const part of parts) {
      if (exceedsMaximumLengthRatio(pwd, maxSimilarity, part)) continue;
      if (quickRatio(pwd, part) >= maxSimilarity)
        return `The password is too similar to the ${verboseName}.`;
    }
  }
  return null;
}

/** CommonPasswordValidator over a lower-cased list. */
export function checkCommonPassword(password: string, common: ReadonlySet<string>): string | null {
  return common.has(password.toLowerCase().trim()) ? 'This password is too common.' : null;
}

/** NumericPasswordValidator. */
export function checkNumeric(password: string): string | null {
  return /^\d+$/u.test(password) ? 'This password is entirely numeric.' : null;
}

export const COMMON_PASSWORDS_FILE = join(
  REPO_ROOT,
  'libs',
  'accounts',
  'data',
  'common-passwords.txt.gz',
);

export function loadCommonPasswords(file = COMMON_PASSWORDS_FILE): Set<string> {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  return new Set(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
}

/** The password rules of sign-up, reset, and the manage commands, in one place. */
@Injectable()
export class PasswordPolicy {
  private common?: Set<string>;

  /** Every rule the password breaks (Django runs all validators and reports them all). */
  problems(password: string, user?: PasswordUserAttributes): string[] {
    this.common ??= loadCommonPasswords();
    return [
      checkMinimumLength(password),
      checkUserAttributeSimilarity(password, user),
      checkCommonPassword(password, this.common),
      checkNumeric(password),
    ].filter((m): m is string => m !== null);
  }

  /** Throws a 400 validation problem listing each broken rule under `field`. */
  assertValid(password: string, user?: PasswordUserAttributes, field = 'password'): void {
    const problems = this.problems(password, user);
    if (problems.length)
      throw new ValidationProblem(problems.map((message) => ({ field, message })));
  }
}
