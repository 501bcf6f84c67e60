import { Injectable } from '@nestjs/common';
import { InquirerService, Question, QuestionSet } from 'nest-commander';

const EMAIL_QUESTIONS = 'porch-email';
const NAME_QUESTIONS = 'porch-name';
const PASSWORD_QUESTIONS = 'porch-new-password';

@QuestionSet({ name: EMAIL_QUESTIONS })
export class EmailQuestions {
  @Question({ type: 'input', name: 'email', message: 'Email address:' })
  parseEmail(value: string): string {
    return value.trim();
  }
}

@QuestionSet({ name: NAME_QUESTIONS })
export class NameQuestions {
  @Question({ type: 'input', name: 'name', message: 'Name (blank: the email before the @):' })
  parseName(value: string): string {
    return value.trim();
  }
}

@QuestionSet({ name: PASSWORD_QUESTIONS })
export class NewPasswordQuestions {
  @Question({ type: 'password', name: 'password', message: 'Password:', mask: '*' })
  parsePassword(value: string): string {
    return value;
  }

  @Question({ type: 'password', name: 'confirm', message: 'Password (again):', mask: '*' })
  parseConfirm(value: string): string {
    return value;
  }
}

export const TERMINAL_QUESTION_SETS = [EmailQuestions, NameQuestions, NewPasswordQuestions];

/**
 * The prompts of the manage commands, behind one seam: commands ask `interactive` first and never
 * prompt without a terminal (a missing value is then an error), and tests swap in a script.
 */
@Injectable()
export class Terminal {
  constructor(private readonly inquirer: InquirerService) {}

  get interactive(): boolean {
    return process.stdin.isTTY === true;
  }

  async email(): Promise<string> {
    return (await this.inquirer.ask<{ email: string }>(EMAIL_QUESTIONS, undefined)).email;
  }

  async name(): Promise<string> {
    return (await this.inquirer.ask<{ name: string }>(NAME_QUESTIONS, undefined)).name;
  }

  /** A password typed twice (masked). */
  async newPassword(): Promise<{ password: string; confirm: string }> {
    return this.inquirer.ask<{ password: string; confirm: string }>(PASSWORD_QUESTIONS, undefined);
  }
}
