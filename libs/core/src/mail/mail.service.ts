import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Global, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../config/app-config.js';

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
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter;
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
      await mkdir(this.outbox, { recursive: true });
      const file = join(this.outbox, `${uuidv7()}.eml`);
      await writeFile(file, (info as unknown as { message: Buffer }).message);
      this.logger.log(`wrote "${message.subject}" for ${message.to} to ${file}`);
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

@Global()
@Module({ providers: [MailService], exports: [MailService] })
export class MailModule {}
