import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, CounterStore, TooManyRequestsProblem } from '#porch/core';
import { normalizeEmail } from '../users/emails.js';

/**
 * Failed logins per (email, client IP): after LOGIN_MAX_FAILURES within
 * LOGIN_FAILURE_WINDOW_SECONDS that pair gets 429 with Retry-After, before any password is checked.
 * Keyed by the pair, so an attacker elsewhere cannot lock the owner out of their account. Every
 * door that checks a password (`/auth/login`, `/auth/token`, the admin panel's login) draws on the
 * same budget, so using several doors buys no extra guesses.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
  ) {}

  key(email: string, ip: string | undefined): string {
    const digest = createHash('sha256')
      .update(`${normalizeEmail(email)}\n${ip ?? 'unknown'}`)
      .digest('hex');
    return `login-failures:${digest}`;
  }

  /**
   * Takes one attempt from the pair's budget, atomically (one INCR), before any password is
   * checked: 0 when granted, else the seconds until the window resets. Counting every attempt
   * and clearing the count on success equals counting failures, but a burst of parallel guesses
   * cannot slip past the limit while their hashes are being verified.
   */
  async take(key: string): Promise<number> {
    const hits = await this.counters.hit(key, this.config.LOGIN_FAILURE_WINDOW_SECONDS);
    if (hits <= this.config.LOGIN_MAX_FAILURES) return 0;
    const { retryAfter } = await this.counters.get(key);
    return Math.max(1, retryAfter);
  }

  /** `take`, as a 429 problem when the pair has no attempt left. */
  async attempt(key: string): Promise<void> {
    const wait = await this.take(key);
    if (wait)
      throw new TooManyRequestsProblem(
        wait,
        'Too many failed logins for this email from your address; try again later',
      );
  }

  /** A successful login clears the pair's count. */
  async succeeded(key: string): Promise<void> {
    await this.counters.reset(key);
  }
}
