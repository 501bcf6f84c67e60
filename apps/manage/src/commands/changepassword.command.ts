import { Command, CommandRunner } from 'nest-commander';
import { PasswordPolicy, UsersService, normalizeEmail } from '#porch/accounts';
import { AppConfig } from '#porch/core';
import { asCommandError } from './command-errors.js';
import { readNewPassword } from './password-prompt.js';
import { Terminal } from './terminal.js';

@Command({
  name: 'changepassword',
  arguments: '<email>',
  description:
    "Change a user's password (prompts twice; without a terminal, reads ADMIN_PASSWORD) and sign them out everywhere",
})
export class ChangePasswordCommand extends CommandRunner {
  constructor(
    private readonly users: UsersService,
    private readonly policy: PasswordPolicy,
    private readonly config: AppConfig,
    private readonly terminal: Terminal,
  ) {
    super();
  }

  async run([email]: string[]): Promise<void> {
    try {
      const user = await this.users.findByEmail(email);
      console.log(`Changing password for user '${normalizeEmail(email)}'`);
      const password = await readNewPassword(this.terminal, this.config, this.policy, user, {
        preferEnv: false,
      });
      await this.users.setPassword(email, password);
    } catch (error) {
      throw asCommandError(error);
    }
    console.log(`Password changed successfully for user '${normalizeEmail(email)}'.`);
  }
}
