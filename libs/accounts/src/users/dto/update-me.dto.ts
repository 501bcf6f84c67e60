import {
  IsEmail,
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Department, Gender, type DepartmentValue, type GenderValue } from '../user.entity.js';
import { Trim } from '#porch/core';
import { IsBirthdate } from './user-fields.js';
import { IsRegistrableEmail, NormalizeEmail } from '../emails.js';

/**
 * The fields a user may change on their own profile; anything else (isStaff, isSuperuser,
 * isActive, password, …) is refused with 400. `null` clears an optional field.
 */
export class UpdateMeDto {
  /**
   * A new login email (409 when taken; normalized and checked as at sign-up). It becomes
   * `pendingEmail` and a code is mailed to it; it replaces `email` once verified
   * (`POST /auth/verify-email`). Your current email drops a pending change.
   * @example "ada.l@example.com"
   */
  @ValidateIf((o: UpdateMeDto) => o.email !== undefined)
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  @IsRegistrableEmail()
  email?: string;

  /** @example "Ada King" */
  @ValidateIf((o: UpdateMeDto) => o.name !== undefined)
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  name?: string;

  /** `YYYY-MM-DD`; null clears it. @example "2004-05-17" */
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true })
  @IsOptional()
  @IsBirthdate()
  birthdate?: string | null;

  @ApiPropertyOptional({ enum: Gender, enumName: 'Gender' })
  @ValidateIf((o: UpdateMeDto) => o.gender !== undefined)
  @IsEnum(Gender)
  gender?: GenderValue;

  @ApiPropertyOptional({ enum: Department, enumName: 'Department', nullable: true })
  @IsOptional()
  @IsEnum(Department)
  department?: DepartmentValue | null;

  /**
   * The measurements app's teacher address; null clears it.
   * @example "ms.byron@school.example.ca"
   */
  @ApiPropertyOptional({ type: String, nullable: true })
  @NormalizeEmail()
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  @IsRegistrableEmail()
  teacherEmail?: string | null;
}
