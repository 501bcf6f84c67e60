import { randomInt } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives. */
export const JOIN_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const JOIN_CODE_LENGTH = 10; // 50 bits
const ALPHABET = JOIN_CODE_ALPHABET;
const LENGTH = JOIN_CODE_LENGTH;

/** A fresh join code, e.g. `7KQ2MXB9TD`. */
export function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/**
 * A typed code as stored: upper-cased, without spaces and dashes, with Crockford's look-alikes
 * read as digits (O → 0, I and L → 1). Null when it cannot be a code.
 */
export function normalizeJoinCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}
