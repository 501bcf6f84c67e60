import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { DepartmentValue, GenderValue } from '#porch/accounts';
import { DepartmentEnum, GenderEnum } from '../enums.js';
import { Connection } from '../pagination.js';

/** What any signed-in user may see of another (REST's PublicProfileDto). */
@ObjectType('User', { description: 'What any signed-in user may see of another' })
export class UserType {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  name!: string;
  @Field(() => DepartmentEnum, { nullable: true })
  department!: DepartmentValue | null;
  @Field(() => GenderEnum)
  gender!: GenderValue;
  @Field(() => String, {
    description: '`host` while the user hosts a party whose last entry is ahead, else `guest`',
  })
  role?: string;
  @Field(() => String, {
    nullable: true,
    description: 'Absolute URL of the photo (changes when the photo does); null without one',
  })
  photoUrl!: string | null;
}

export const UserConnection = Connection(UserType, 'User');

/** The caller's own profile (REST's MeProfileDto). */
@ObjectType('Me', { description: "The caller's own profile" })
export class MeType extends UserType {
  declare role: string;
  @Field(() => String)
  email!: string;
  @Field(() => Boolean)
  emailVerified!: boolean;
  @Field(() => String, { nullable: true, description: 'A new email waiting for its code' })
  pendingEmail!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  birthdate!: string | null;
  @Field(() => String, { nullable: true })
  teacherEmail!: string | null;
  @Field(() => Boolean)
  isStaff!: boolean;
  @Field(() => Boolean)
  isSuperuser!: boolean;
  @Field(() => Date, { nullable: true })
  lastLoginAt!: Date | null;
  @Field(() => Date)
  createdAt!: Date;
  @Field(() => Date)
  updatedAt!: Date;
}

/** OAuth2-style token pair (REST's TokenResponse). */
@ObjectType('TokenPair')
export class TokenPairType {
  @Field(() => String)
  access_token!: string;
  @Field(() => String)
  refresh_token!: string;
  @Field(() => String)
  token_type!: string;
  @Field(() => Int, { description: 'Seconds the access token lives' })
  expires_in!: number;
  @Field(() => Int, { description: 'Seconds the refresh token lives' })
  refresh_expires_in!: number;
}

@ObjectType('SignUpResult')
export class SignUpResultType {
  @Field(() => MeType)
  user!: MeType;
  @Field(() => TokenPairType, {
    nullable: true,
    description: 'Null while the email awaits verification (REQUIRE_VERIFIED_EMAIL)',
  })
  token!: TokenPairType | null;
}
