import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Department, Gender, type DepartmentValue, type GenderValue } from '#porch/accounts';

registerEnumType(Department, { name: 'Department' });
registerEnumType(Gender, { name: 'Gender' });

/** What any signed-in user may see of another (REST's PublicProfileDto). */
@ObjectType('User', { description: 'What any signed-in user may see of another' })
export class UserType {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  name!: string;
  @Field(() => Department, { nullable: true })
  department!: DepartmentValue | null;
  @Field(() => Gender)
  gender!: GenderValue;
  @Field(() => String, {
    description: '`host` while the user hosts an upcoming party, else `guest`',
  })
  role!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Absolute URL of the photo; null without one',
  })
  photoUrl!: string | null;
}

/** The caller's own profile (REST's MeProfileDto). */
@ObjectType('Me', { description: "The caller's own profile" })
export class MeType extends UserType {
  @Field(() => String)
  email!: string;
  @Field(() => Boolean)
  emailVerified!: boolean;
  @Field(() => String, { nullable: true })
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
