import { IsEmail, IsString } from 'class-validator';
import { NormalizeEmail } from '../../users/emails.js';

/** `POST /auth/login`. */
export class LoginDto {
  /** Any case and any Unicode-compatible spelling (compared in NFKC, lower-cased). @example "host1@demo.porch.test" */
  @NormalizeEmail()
  @IsEmail()
  email!: string;

  /** @example "porch-demo-password" */
  @IsString()
  password!: string;
}
