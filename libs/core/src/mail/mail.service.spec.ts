import { jest } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
    // Reset codes travel in these: owner-only.
    expect(statSync(join(dir, 'sent-emails')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'sent-emails', files[0])).mode & 0o777).toBe(0o600);
    expect(eml).toMatch(/^To: guest@example\.test$/m);
    expect(eml).toMatch(/^From: porch@example\.test$/m);
    expect(eml).toMatch(/^Subject: You are invited$/m);
    expect(eml).toContain('Flat 4B, Friday');
    mail.onApplicationShutdown();
  });

  it('sends in the background with sendLater; shutdown waits for it; failures are only logged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porch-mail-'));
    const mail = new MailService(loadConfig({ DATA_DIR: dir }));
    mail.sendLater({ to: 'a@example.test', subject: 'one', text: '1' });
    mail.sendLater({ to: 'b@example.test', subject: 'two', text: '2' });
    const failing = new MailService(loadConfig({ DATA_DIR: dir }));
    jest.spyOn(failing, 'send').mockRejectedValueOnce(new Error('SMTP is down'));
    expect(() =>
      failing.sendLater({ to: 'c@example.test', subject: 'x', text: 'x' }),
    ).not.toThrow();
    await failing.whenIdle();
    await mail.beforeApplicationShutdown();
    expect(readdirSync(join(dir, 'sent-emails'))).toHaveLength(2);
    mail.onApplicationShutdown();
    failing.onApplicationShutdown();
  });
});
