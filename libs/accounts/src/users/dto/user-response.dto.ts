import { ApiProperty } from '@nestjs/swagger';
import { API_PREFIX } from '#porch/core';
import type { Role } from '../hosting-status.js';
import {
  Department,
  Gender,
  type DepartmentValue,
  type GenderValue,
  type User,
} from '../user.entity.js';

/** What any signed-in user may see of another. */
export class PublicProfileDto {
  id!: string;
  name!: string;
  @ApiProperty({ enum: Department, enumName: 'Department', nullable: true })
  department!: DepartmentValue | null;
  @ApiProperty({ enum: Gender, enumName: 'Gender' })
  gender!: GenderValue;
  /** `host` while the user hosts a party whose last entry is in the future, else `guest`. */
  @ApiProperty({ enum: ['host', 'guest'] })
  role!: Role;
  /** Absolute URL of the photo (changes when the photo does); null without a photo. */
  @ApiProperty({ type: String, nullable: true })
  photoUrl!: string | null;
}

/** The caller's own profile (`/users/me`). The flags are read-only. */
export class MeProfileDto extends PublicProfileDto {
  email!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2004-05-17' })
  birthdate!: string | null;
  @ApiProperty({ type: String, nullable: true })
  teacherEmail!: string | null;
  isStaff!: boolean;
  isSuperuser!: boolean;
  @ApiProperty({ type: Date, nullable: true })
  lastLoginAt!: Date | null;
  createdAt!: Date;
  updatedAt!: Date;
}

/** `<origin>/api/v1/users/<id>/photo?v=<hash prefix>`, or null. */
export function photoUrl(origin: string, user: Pick<User, 'id' | 'photoHash'>): string | null {
  return user.photoHash
    ? `${origin}/${API_PREFIX}/users/${user.id}/photo?v=${user.photoHash.slice(0, 16)}`
    : null;
}

/** The columns a public profile is made of (all a list query needs to select). */
export type PublicFields = Pick<User, 'id' | 'name' | 'department' | 'gender' | 'photoHash'>;

export function toPublicProfile(user: PublicFields, role: Role, origin: string): PublicProfileDto {
  return {
    id: user.id,
    name: user.name,
    department: user.department ?? null,
    gender: user.gender,
    role,
    photoUrl: photoUrl(origin, user),
  };
}

export function toMeProfile(user: User, role: Role, origin: string): MeProfileDto {
  return {
    ...toPublicProfile(user, role, origin),
    email: user.email,
    birthdate: user.birthdate ?? null,
    teacherEmail: user.teacherEmail ?? null,
    isStaff: user.isStaff,
    isSuperuser: user.isSuperuser,
    lastLoginAt: user.lastLoginAt ?? null,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
