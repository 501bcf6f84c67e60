import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config.js';
import { MailService } from './mail.service.js';

describe('MailService (file transport)', () => {
  it('writes each message as an .eml file under DATA_DIR/sent-emails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porch-mail-'));
    const mail = new MailService(loadConfig({ DATA_DIR: dir, MAIL_FROM: 'porch@example.test' }));
    await mail.send({
      to: 'guest@example.test',
      subject: 'You are invited',
      text: 'Flat 4B, Friday',
    });
    const files = readdirSync(join(dir, 'sent-emails'));
    expect(files).toHaveLength(1);
    const eml = readFileSync(join(dir, 'sent-emails', files[0]), 'utf8');
    expect(eml).toMatch(/^To: guest@example\.test$/m);
    expect(eml).toMatch(/^From: porch@example\.test$/m);
    expect(eml).toMatch(/^Subject: You are invited$/m);
    expect(eml).toContain('Flat 4B, Friday');
    mail.onApplicationShutdown();
  });
});
