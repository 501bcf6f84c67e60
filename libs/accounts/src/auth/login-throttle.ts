import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, CounterStore, TooManyRequestsProblem } from '#porch/core';
import { normalizeEmail } from '../users/user.entity.js';

/**
 * Failed logins per (email, client IP): after LOGIN_MAX_FAILURES within
 * LOGIN_FAILURE_WINDOW_SECONDS that pair gets 429 with Retry-After, before any password is checked.
 * Keyed by the pair, so an attacker elsewhere cannot lock the owner out of their account.
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
   * Counts an attempt and throws 429 once the pair is past the limit, before any password is
   * checked. Counting before verifying (and resetting on success) equals counting failures, but
   * a burst of parallel guesses cannot slip past the limit while the hashes are being verified.
   */
  async attempt(key: string): Promise<void> {
    const hits = await this.counters.hit(key, this.config.LOGIN_FAILURE_WINDOW_SECONDS);
    if (hits > this.config.LOGIN_MAX_FAILURES) {
      const { retryAfter } = await this.counters.get(key);
      throw new TooManyRequestsProblem(
        retryAfter,
        'Too many failed logins for this email from your address; try again later',
      );
    }
  }

  /** A successful login clears the pair's count. */
  async succeeded(key: string): Promise<void> {
    await this.counters.reset(key);
  }
}
