import { Transform } from 'class-transformer';
import { isEmail, registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * The one spelling of an email Porch stores and compares: Unicode NFKC (so full-width
 * `ａｄｍｉｎ` and ligatures become plain letters), trimmed, lower-cased, NFKC again (lower-casing
 * can undo a normal form). Applied before every lookup and every write.
 */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}

/**
 * UAX #31's Recommended Scripts (Table 4): the scripts in everyday modern use. Letters of other
 * scripts (historic ones, mostly) are refused in addresses, as UTS #39's restriction levels do.
 */
const RECOMMENDED_SCRIPTS = [
  'Arabic',
  'Armenian',
  'Bengali',
  'Bopomofo',
  'Cyrillic',
  'Devanagari',
  'Ethiopic',
  'Georgian',
  'Greek',
  'Gujarati',
  'Gurmukhi',
  'Han',
  'Hangul',
  'Hebrew',
  'Hiragana',
  'Kannada',
  'Katakana',
  'Khmer',
  'Lao',
  'Latin',
  'Malayalam',
  'Myanmar',
  'Oriya',
  'Sinhala',
  'Tamil',
  'Telugu',
  'Thaana',
  'Thai',
  'Tibetan',
] as const;

const SCRIPT_TESTS = RECOMMENDED_SCRIPTS.map(
  (name) => [name, new RegExp(`\\p{Script_Extensions=${name}}`, 'u')] as const,
);

/**
 * UTS #39 §5.1 augments these scripts so that Japanese (Han + Hiragana + Katakana), Korean
 * (Han + Hangul) and Chinese with Bopomofo each count as one script.
 */
const AUGMENTED: Partial<Record<string, string[]>> = {
  Han: ['Jpan', 'Kore', 'Hanb'],
  Hiragana: ['Jpan'],
  Katakana: ['Jpan'],
  Hangul: ['Kore'],
  Bopomofo: ['Hanb'],
};

/** Common (digits, punctuation) and Inherited (combining marks) go with any script. */
const ANY_SCRIPT = /^[\p{Script_Extensions=Common}\p{Script_Extensions=Inherited}]$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{M}\p{N}]$/u;
/** RFC 5322 `atext` punctuation, and the dot; nothing else that is not a letter or digit. */
const ASCII_PUNCTUATION = /^[!#$%&'*+\-/=?^_`{|}~.]$/;

/**
 * Latin letters NFKC leaves alone that, without any visible mark, read as another ASCII letter
 * (Unicode's confusables for a–z): dotless ı and ȷ, kra ĸ, Latin alpha, iota and script g, and
 * the small capitals. `admın@…` would pass the single-script test; these refuse it.
 */
const LATIN_LOOKALIKES =
  /[\u0131\u0237\u0138\u0251\u0261\u0269\u026a\u0274\u0280\u028f\u029c\u029f\u0299\u0262\u01c0\u1d00-\u1d22]/u;

/** The scripts a label's letters share (UTS #39's resolved script set), or why it fails. */
function scriptProblem(label: string): string | null {
  let shared: Set<string> | undefined;
  for (const char of label) {
    if (!LETTER_OR_DIGIT.test(char)) {
      if (ASCII_PUNCTUATION.test(char)) continue;
      return `contains ${describe(char)}, which is neither a letter, a digit nor . ! # $ % & ' * + - / = ? ^ _ \` { | } ~`;
    }
    if (ANY_SCRIPT.test(char)) continue;
    const scripts = SCRIPT_TESTS.filter(([, test]) => test.test(char)).flatMap(([name]) => [
      name,
      ...(AUGMENTED[name] ?? []),
    ]);
    if (!scripts.length) return `contains ${describe(char)}, from a script not used in addresses`;
    shared = shared ? new Set(scripts.filter((s) => shared!.has(s))) : new Set(scripts);
    if (!shared.size) return 'mixes letters of different scripts (e.g. Latin and Cyrillic)';
  }
  if (LATIN_LOOKALIKES.test(label))
    return `contains ${describe(LATIN_LOOKALIKES.exec(label)![0])}, which reads as another letter`;
  return null;
}

const describe = (char: string) =>
  `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why a (normalized) email may not be registered, or null when it may: the local part and each
 * label of the domain must be single-script (UTS #39 §5.1: Latin with Cyrillic or Greek is
 * refused; Japanese and Korean mixes are one script), in a recommended script, with no Latin
 * look-alike of another letter. Checked where an address is set (sign-up, profile, commands,
 * admin panel), not at login: a look-alike just matches no account there.
 */
export function emailProblem(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return 'must be an email address';
  const local = email.slice(0, at);
  const problem = scriptProblem(local);
  if (problem) return `the part before @ ${problem}`;
  for (const label of email.slice(at + 1).split('.')) {
    const inDomain = scriptProblem(label);
    if (inDomain) return `the domain ${inDomain}`;
  }
  return null;
}

/** DTO transform: strings are normalized (`normalizeEmail`) before they are validated. */
export function NormalizeEmail(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normalizeEmail(value) : value,
  );
}

/** DTO validator: `emailProblem` is null (the value is normalized first, `NormalizeEmail`). */
export function IsRegistrableEmail(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isRegistrableEmail',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        // Not an address at all is @IsEmail's to say (one error per problem).
        validate: (value: unknown) =>
          typeof value !== 'string' || !isEmail(value) || emailProblem(value) === null,
        defaultMessage: (args) =>
          `${args?.property ?? 'email'} is refused: ${emailProblem(String(args?.value)) ?? 'not allowed'}`,
      },
    });
}
