import { EntityManager } from '@mikro-orm/postgresql';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { CounterStore, MailService } from '#porch/core';
import { BackgroundJobs, CodeThrottle } from './one-time-code.js';

/** What tells one kind of emailed code from another: its counters, its 429 and its log lines. */
export interface CodeKind {
  /** Counter prefix (`CodeThrottle`). */
  prefix: string;
  tooMany: string;
  logger: string;
  /** Logged when a background lookup or mail fails. */
  mailFailed: string;
}

/**
 * The machinery every kind of emailed code shares (password reset, email verification): the
 * throttle, and the lookups and mails that run after the response, awaited at shutdown.
 */
export abstract class CodeMailer implements OnApplicationShutdown {
  protected readonly throttle: CodeThrottle;
  private readonly logger: Logger;
  private readonly jobs = new BackgroundJobs();

  protected constructor(
    protected readonly em: EntityManager,
    protected readonly mail: MailService,
    counters: CounterStore,
    private readonly kind: CodeKind,
  ) {
    this.throttle = new CodeThrottle(counters, kind.prefix, kind.tooMany);
    this.logger = new Logger(kind.logger);
  }

  /** Runs `work` after the response; a failure is logged. */
  protected background(work: () => Promise<void>): void {
    this.jobs.run(work, (error) => this.logger.error({ err: error }, this.kind.mailFailed));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.jobs.idle();
  }
}
