import { ArgsType, Field, InputType } from '@nestjs/graphql';
import {
  LoginDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  SignupDto,
  UpdateMeDto,
  UsersQueryDto,
  type DepartmentValue,
  type GenderValue,
} from '#porch/accounts';
import { DepartmentEnum, GenderEnum } from '../enums.js';
import { Paged } from '../paged.js';

// Input types are REST's DTOs (their validation and messages, inherited) with GraphQL fields.

@InputType('SignUpInput')
export class SignUpInput extends SignupDto {
  @Field(() => String)
  override email!: string;
  @Field(() => String)
  override password!: string;
  @Field(() => String)
  override name!: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  override birthdate?: string;
  @Field(() => GenderEnum, { nullable: true })
  override gender?: GenderValue;
  @Field(() => DepartmentEnum, { nullable: true })
  override department?: DepartmentValue;
  @Field(() => String, { nullable: true })
  override teacherEmail?: string;
  @Field(() => String, {
    nullable: true,
    description: 'A base64 or data-URL photo (or set it later with `setPhoto`, a file upload)',
  })
  override photo?: string;
}

@InputType('LogInInput')
export class LogInInput extends LoginDto {
  @Field(() => String)
  override email!: string;
  @Field(() => String)
  override password!: string;
}

@InputType('PasswordResetRequestInput')
export class PasswordResetRequestInput extends PasswordResetRequestDto {
  @Field(() => String)
  override email!: string;
}

@InputType('PasswordResetConfirmInput')
export class PasswordResetConfirmInput extends PasswordResetConfirmDto {
  @Field(() => String)
  override email!: string;
  @Field(() => String, { description: 'The 6 digits from the email' })
  override code!: string;
  @Field(() => String)
  override newPassword!: string;
}

@InputType('UpdateMeInput')
export class UpdateMeInput extends UpdateMeDto {
  @Field(() => String, { nullable: true })
  override email?: string;
  @Field(() => String, { nullable: true })
  override name?: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; null clears it' })
  override birthdate?: string | null;
  @Field(() => GenderEnum, { nullable: true })
  override gender?: GenderValue;
  @Field(() => DepartmentEnum, { nullable: true })
  override department?: DepartmentValue | null;
  @Field(() => String, { nullable: true })
  override teacherEmail?: string | null;
}

@ArgsType()
export class UsersArgs extends Paged(UsersQueryDto) {
  @Field(() => String, {
    nullable: true,
    description: 'Part of the name, any case (staff: of the name or the email)',
  })
  override search?: string;
  @Field(() => DepartmentEnum, { nullable: true })
  override department?: DepartmentValue;
  @Field(() => String, { nullable: true, description: '`name`, `createdAt`, or `-` either' })
  override ordering?: string;
}
