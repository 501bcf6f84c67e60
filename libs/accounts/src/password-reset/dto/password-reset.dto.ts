import { IsEmail, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { NormalizeEmail } from '../../users/emails.js';

/** Step 1: ask for a code by email. */
export class PasswordResetRequestDto {
  /** @example "ada@example.com" */
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

/** Step 2: the emailed code and the new password, for step 1's email. */
export class PasswordResetConfirmDto extends PasswordResetRequestDto {
  /** The 6 digits from the email. @example "482913" */
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;

  /** Same rules as at sign-up. @example "marble-Heron-83-lantern" */
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  newPassword!: string;
}
