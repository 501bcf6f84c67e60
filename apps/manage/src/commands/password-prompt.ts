import { AppConfig } from '#porch/core';
import type { PasswordPolicy, PasswordUserAttributes } from '#porch/accounts';
import type { Terminal } from './terminal.js';

const ATTEMPTS = 3;

/**
 * The new password of createsuperuser / changepassword. On a terminal: typed twice, checked
 * against the password rules, up to 3 tries (as Django's commands do). Without one:
 * ADMIN_PASSWORD, or an error (never a prompt that would hang a script).
 */
export async function readNewPassword(
  terminal: Terminal,
  config: AppConfig,
  policy: PasswordPolicy,
  user: PasswordUserAttributes,
  { preferEnv }: { preferEnv: boolean },
): Promise<string> {
  if ((preferEnv || !terminal.interactive) && config.ADMIN_PASSWORD) return config.ADMIN_PASSWORD;
  if (!terminal.interactive)
    throw new Error('No terminal to prompt on: set ADMIN_PASSWORD to the new password.');
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const { password, confirm } = await terminal.newPassword();
    if (password !== confirm) {
      console.error("Error: Your passwords didn't match.");
      continue;
    }
    if (!password.trim()) {
      console.error("Error: Blank passwords aren't allowed.");
      continue;
    }
    const problems = policy.problems(password, user);
    if (problems.length) {
      for (const problem of problems) console.error(`Error: ${problem}`);
      continue;
    }
    return password;
  }
  throw new Error(`Too many failed attempts: no password was set.`);
}
