import { IsEmail, IsString } from 'class-validator';
import { NormalizeEmail } from '../../users/emails.js';

/** `POST /auth/login`. */
export class LoginDto {
  /** Any case and any Unicode-compatible spelling (compared in NFKC, lower-cased). */
  @NormalizeEmail()
  @IsEmail()
  email!: string;

  @IsString()
  password!: string;
}
