import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { ManyToOne, Opt, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { v7 as uuidv7 } from 'uuid';
import { type CounterStore, TooManyRequestsProblem, UnprocessableProblem } from '#porch/core';
import { User } from '../users/user.entity.js';

/**
 * Emailed 6-digit codes (password reset, email verification): stored only as
 * SHA-256(salt ‖ code), valid 15 minutes and 5 wrong tries, throttled per client IP and per
 * address. One implementation, so both kinds of code are exactly as hard to guess.
 */
export const CODE_TTL_SECONDS = 15 * 60;
export const CODE_MAX_ATTEMPTS = 5;

/**
 * How often a code may be asked for and tried. Per address, requests over the limit are accepted
 * and dropped (a 429 would tell that the address has been asked for); per client IP, and for
 * code guesses, the answer is a 429. With 5 tries per code, a code is one in a million, so an
 * address's daily guess cap is what bounds an attacker: 20 guesses a day, whatever the IPs.
 */
export const CODE_LIMITS = {
  requestsPerAddressWindow: 5,
  requestsPerAddressDay: 10,
  requestsPerIpHour: 20,
  guessesPerIpHour: 30,
  guessesPerAddressDay: 20,
} as const;

const HOUR = 3600;
const DAY = 24 * HOUR;

/** The columns every code table has; each kind is a table of its own (its own checks, index). */
export abstract class OneTimeCode {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = uuidv7();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  /** Random per row, hex; keeps equal codes from having equal hashes. */
  @Property({ type: 'char', length: 32 })
  salt: string;

  @Property({ type: 'char', length: 64, hidden: true })
  codeHash: string;

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  /** Wrong codes tried against this row. */
  @Property({ type: 'smallint', default: 0 })
  attempts: number & Opt = 0;

  /** Set when the code was used, or when a newer code replaced it. */
  @Property({ type: 'timestamptz', nullable: true })
  usedAt?: Date | null;

  @Property({ type: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  constructor(user: Rel<User>, salt: string, codeHash: string, expiresAt: Date) {
    this.user = user;
    this.salt = salt;
    this.codeHash = codeHash;
    this.expiresAt = expiresAt;
  }
}

const hashCode = (salt: string, code: string) =>
  createHash('sha256').update(`${salt}:${code}`).digest('hex');

/** A fresh code: the 6 digits to mail, and the salt and hash to store. */
export function newCode(): { code: string; salt: string; codeHash: string; expiresAt: Date } {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16).toString('hex');
  return {
    code,
    salt,
    codeHash: hashCode(salt, code),
    expiresAt: new Date(Date.now() + CODE_TTL_SECONDS * 1000),
  };
}

/** Not used, not replaced, not tried too often, not expired. */
export const isLive = (row: OneTimeCode | null | undefined): row is OneTimeCode =>
  !!row && !row.usedAt && row.attempts < CODE_MAX_ATTEMPTS && row.expiresAt.getTime() > Date.now();

/**
 * Whether `code` is the one of a live row, compared in constant time (against a decoy when no
 * row is live, so that both take the same time). A wrong code counts as a try on a live row
 * (flushed with the caller's transaction, under the row lock it took) unless `countMiss` is off.
 */
export function matchCode(
  row: OneTimeCode | null | undefined,
  code: string,
  { countMiss = true } = {},
): boolean {
  const live = isLive(row);
  const expected = Buffer.from(live ? row.codeHash : hashCode('decoy', '000000'), 'hex');
  const given = Buffer.from(hashCode(live ? row.salt : 'decoy', code), 'hex');
  const ok = timingSafeEqual(expected, given) && live;
  if (live && !ok && countMiss) row.attempts += 1;
  return ok;
}

export const invalidCode = () =>
  new UnprocessableProblem('The code is wrong, expired or used up; ask for a new one', {
    errors: [{ field: 'code', message: 'invalid or expired code' }],
  });

export const addressDigest = (address: string) =>
  createHash('sha256').update(address).digest('hex');

/**
 * The counters of one kind of code, keyed by `prefix` (`password-reset`, `email-verification`):
 * `<prefix>:ip:<ip>` and `<prefix>-guess:…` for requests and guesses, `<prefix>:<sha256(address)>`
 * and `<prefix>:day:…` for the codes an address is sent.
 */
export class CodeThrottle {
  constructor(
    private readonly counters: CounterStore,
    private readonly prefix: string,
    private readonly tooMany: string,
  ) {}

  /** A request for a code from a client IP: 429 past its hourly cap. */
  request(ip: string | undefined): Promise<void> {
    return this.take(`${this.prefix}:ip:${ip ?? 'unknown'}`, HOUR, CODE_LIMITS.requestsPerIpHour);
  }

  /**
   * A try of a code: one slot of the client IP's hourly and the address's daily budget (atomic
   * counters, before the code is looked at); past either, 429 and nothing is checked.
   */
  async guess(address: string, ip: string | undefined): Promise<void> {
    await this.take(
      `${this.prefix}-guess:ip:${ip ?? 'unknown'}`,
      HOUR,
      CODE_LIMITS.guessesPerIpHour,
    );
    await this.take(
      `${this.prefix}-guess:address:${addressDigest(address)}`,
      DAY,
      CODE_LIMITS.guessesPerAddressDay,
    );
  }

  /** Whether another code may be mailed to `address` (silently not, past its caps). */
  async mayMail(address: string): Promise<boolean> {
    const digest = addressDigest(address);
    const inWindow = await this.counters.hit(`${this.prefix}:${digest}`, CODE_TTL_SECONDS);
    if (inWindow > CODE_LIMITS.requestsPerAddressWindow) return false;
    // The day counts the codes the window let through, not every request.
    const inDay = await this.counters.hit(`${this.prefix}:day:${digest}`, DAY);
    return inDay <= CODE_LIMITS.requestsPerAddressDay;
  }

  /** One hit on a windowed counter; 429 (with the window's rest) once it is past `limit`. */
  private async take(key: string, windowSeconds: number, limit: number): Promise<void> {
    if ((await this.counters.hit(key, windowSeconds)) <= limit) return;
    const { retryAfter } = await this.counters.get(key);
    throw new TooManyRequestsProblem(retryAfter, this.tooMany);
  }
}

/**
 * Background jobs (code lookups and mails after the response), awaited at shutdown. A failure is
 * logged by the caller's `onError`.
 */
export class BackgroundJobs {
  private readonly pending = new Set<Promise<void>>();

  run(work: () => Promise<void>, onError: (error: unknown) => void): void {
    const job: Promise<void> = work()
      .catch(onError)
      .finally(() => this.pending.delete(job));
    this.pending.add(job);
  }

  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
