import { isEmail } from 'class-validator';
import { Command, CommandRunner, Option } from 'nest-commander';
import { emailProblem, normalizeEmail, PasswordPolicy, UsersService } from '#porch/accounts';
import { AppConfig } from '#porch/core';
import { asCommandError } from './command-errors.js';
import { readNewPassword } from './password-prompt.js';
import { Terminal } from './terminal.js';

interface CreateSuperuserOptions {
  email?: string;
  name?: string;
}

@Command({
  name: 'createsuperuser',
  description:
    'Create a superuser: prompts on a terminal, or --email with the password from ADMIN_PASSWORD',
})
export class CreateSuperuserCommand extends CommandRunner {
  constructor(
    private readonly users: UsersService,
    private readonly policy: PasswordPolicy,
    private readonly config: AppConfig,
    private readonly terminal: Terminal,
  ) {
    super();
  }

  async run(_args: string[], options: CreateSuperuserOptions): Promise<void> {
    const interactive = this.terminal.interactive;
    let email = options.email;
    if (!email) {
      if (!interactive) throw new Error('No terminal to prompt on: pass --email.');
      email = await this.terminal.email();
    }
    email = normalizeEmail(email);
    if (!isEmail(email, { require_tld: false }))
      throw new Error(`Enter a valid email address (got "${email}").`);
    const problem = emailProblem(email);
    if (problem) throw new Error(`This email cannot be registered: ${problem}.`);
    let name = options.name;
    if (!name && interactive && !options.email) name = await this.terminal.name();
    name ||= email.split('@')[0];
    const password = await readNewPassword(
      this.terminal,
      this.config,
      this.policy,
      { email, name },
      // Scripts: `--email` takes the password from ADMIN_PASSWORD without asking.
      { preferEnv: Boolean(options.email) },
    );
    try {
      await this.users.create({
        email,
        name,
        password,
        isStaff: true,
        isSuperuser: true,
        emailVerified: true,
      });
    } catch (error) {
      throw asCommandError(error);
    }
    console.log('Superuser created successfully.');
  }

  @Option({ flags: '--email <email>', description: 'Email (login) of the new superuser' })
  parseEmail(value: string): string {
    return value.trim();
  }

  @Option({ flags: '--name <name>', description: 'Display name (default: the email before the @)' })
  parseName(value: string): string {
    return value.trim();
  }
}
