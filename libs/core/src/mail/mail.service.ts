import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type BeforeApplicationShutdown,
  Global,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../config/app-config.js';
import { PRIVATE_DIR, PRIVATE_FILE } from '../config/private-files.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Sends email through `smtp` (SMTP_URL), or — the default outside production — writes each
 * message as an `.eml` file under `<DATA_DIR>/sent-emails/`, like Django's file backend.
 */
@Injectable()
export class MailService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter;
  private readonly pending = new Set<Promise<void>>();
  private outboxReady?: Promise<unknown>;
  readonly outbox: string;

  constructor(private readonly config: AppConfig) {
    this.outbox = resolve(config.DATA_DIR, 'sent-emails');
    this.transport =
      config.MAIL_TRANSPORT === 'smtp'
        ? nodemailer.createTransport(config.SMTP_URL)
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(message: MailMessage): Promise<void> {
    const info = await this.transport.sendMail({ from: this.config.MAIL_FROM, ...message });
    if (this.config.MAIL_TRANSPORT === 'file') {
      // Messages carry reset codes: for this OS user's eyes only.
      await (this.outboxReady ??= mkdir(this.outbox, { recursive: true, mode: PRIVATE_DIR }));
      const file = join(this.outbox, `${uuidv7()}.eml`);
      await writeFile(file, (info as unknown as { message: Buffer }).message, {
        mode: PRIVATE_FILE,
      });
      this.logger.log(`wrote "${message.subject}" for ${message.to} to ${file}`);
    }
  }

  /**
   * Sends in the background: the caller's response waits neither for SMTP nor for the disk, and
   * takes as long whether or not a mail goes out. A failure is logged; shutdown waits for the
   * messages still in flight.
   */
  sendLater(message: MailMessage): void {
    const sending: Promise<void> = this.send(message)
      .catch((e: unknown) =>
        this.logger.error(
          `could not send "${message.subject}" to ${message.to}: ${(e as Error).message}`,
        ),
      )
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
  }

  /** Resolves once every message handed to `sendLater` has been sent (or has failed). */
  async whenIdle(): Promise<void> {
    while (this.pending.size) await Promise.all(this.pending);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.whenIdle();
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

@Global()
@Module({ providers: [MailService], exports: [MailService] })
export class MailModule {}
