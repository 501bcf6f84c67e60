import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  Department,
  Gender,
  type DepartmentValue,
  type GenderValue,
} from '../../users/user.entity.js';
import { Trim } from '#porch/core';
import { EmptyAsUndefined, IsBirthdate } from '../../users/dto/user-fields.js';
import { IsRegistrableEmail, NormalizeEmail } from '../../users/emails.js';

/**
 * Sign-up, as JSON or as `multipart/form-data` (the party app's form). `isStaff`, `isSuperuser`
 * and any other field not listed here are refused with 400.
 */
export class SignupDto {
  /**
   * Your login; any case (stored NFKC-normalized and lower-cased). Refused when its local part
   * or a domain label mixes scripts or holds a look-alike letter (e.g. dotless ı).
   * @example "ada@example.com"
   */
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  @IsRegistrableEmail()
  email!: string;

  /**
   * At least 8 characters, not entirely numeric, not a common password, not too similar to your
   * email or name (Django's rules).
   * @example "tangerine-Kite-47-orbit"
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password!: string;

  /** @example "Ada Lovelace" */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  name!: string;

  /** `YYYY-MM-DD`. */
  @ApiPropertyOptional({ type: String, format: 'date', example: '2004-05-17' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsBirthdate()
  birthdate?: string;

  @ApiPropertyOptional({ enum: Gender, enumName: 'Gender', default: Gender.Unspecified })
  @EmptyAsUndefined()
  @IsOptional()
  @IsEnum(Gender)
  gender?: GenderValue;

  @ApiPropertyOptional({ enum: Department, enumName: 'Department' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsEnum(Department)
  department?: DepartmentValue;

  /** The measurements app's teacher address. @example "ms.byron@school.example.ca" */
  @EmptyAsUndefined()
  @NormalizeEmail()
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  @IsRegistrableEmail()
  teacherEmail?: string;

  /**
   * Profile photo: a file part in multipart, or a base64 / data-URL string (JSON or a form
   * field). JPEG, PNG or WebP by content, at most 2 MiB (413 above, 422 for other types).
   * @example "data:image/png;base64,iVBORw0KGgo…"
   */
  @ApiPropertyOptional({ type: String, format: 'binary' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  photo?: string;
}
