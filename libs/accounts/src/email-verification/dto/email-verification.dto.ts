import { IsEmail, MaxLength, Matches } from 'class-validator';
import { NormalizeEmail } from '../../users/emails.js';

/** The address a verification code was mailed to, and the code. */
export class VerifyEmailDto {
  /** The address the code was sent to (after an email change: the new one). @example "ada@example.com" */
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  /** The 6 digits from the email. @example "482913" */
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

/** Ask for a new verification code. */
export class ResendVerificationDto {
  /** The unverified address (or the pending new one). @example "ada@example.com" */
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email!: string;
}
