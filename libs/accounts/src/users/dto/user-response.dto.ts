import { ApiProperty } from '@nestjs/swagger';
import { API_PREFIX } from '#porch/core';
import type { HostingStatus, Role } from '../hosting-status.js';
import {
  Department,
  Gender,
  type DepartmentValue,
  type GenderValue,
  type User,
} from '../user.entity.js';

/**
 * A user in brief, wherever another module's response points at one (a party's host, an invite's
 * guest). Accounts owns this shape and `toUserSummary`, so it is one schema in the API document.
 */
export class UserSummaryDto {
  /** @example "0193a5f2-6c1e-7d2a-9b3f-4e5d6c7b8a91" */
  id!: string;
  /** @example "Host 1" */
  name!: string;
  /**
   * Absolute URL of the photo (changes when the photo does); null without a photo.
   * @example "https://porch.example.com/api/v1/users/0193a5f2-6c1e-7d2a-9b3f-4e5d6c7b8a91/photo?v=3f2a9c1b7e4d5a60"
   */
  @ApiProperty({ type: String, nullable: true })
  photoUrl!: string | null;
}

/** What any signed-in user may see of another (a profile, a guest list, the user browser). */
export class PublicProfileDto {
  /** @example "0193a5f2-6c1e-7d2a-9b3f-4e5d6c7b8a91" */
  id!: string;
  /** @example "Host 1" */
  name!: string;
  @ApiProperty({ enum: Department, enumName: 'Department', nullable: true })
  department!: DepartmentValue | null;
  @ApiProperty({ enum: Gender, enumName: 'Gender' })
  gender!: GenderValue;
  /** `host` while the user hosts a party whose last entry is in the future, else `guest`. */
  @ApiProperty({ enum: ['host', 'guest'] })
  role!: Role;
  /**
   * Absolute URL of the photo (changes when the photo does); null without a photo.
   * @example "https://porch.example.com/api/v1/users/0193a5f2-6c1e-7d2a-9b3f-4e5d6c7b8a91/photo?v=3f2a9c1b7e4d5a60"
   */
  @ApiProperty({ type: String, nullable: true })
  photoUrl!: string | null;
}

/** The caller's own profile (`/users/me`). The flags are read-only. */
export class MeProfileDto extends PublicProfileDto {
  /** The login email. @example "host1@demo.porch.test" */
  email!: string;
  /** Whether `email` was verified (the code mailed to it entered). @example true */
  emailVerified!: boolean;
  /**
   * A new email asked for with `PATCH /users/me`, waiting for its code (`POST
   * /auth/verify-email`); null when none.
   * @example "host1.new@example.com"
   */
  @ApiProperty({ type: String, nullable: true })
  pendingEmail!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2004-05-17' })
  birthdate!: string | null;
  /** @example "ms.byron@school.example.ca" */
  @ApiProperty({ type: String, nullable: true })
  teacherEmail!: string | null;
  /** @example false */
  isStaff!: boolean;
  /** @example false */
  isSuperuser!: boolean;
  /** @example "2026-12-01T09:30:00.000Z" */
  @ApiProperty({ type: Date, nullable: true })
  lastLoginAt!: Date | null;
  /** @example "2026-11-02T14:05:00.000Z" */
  createdAt!: Date;
  /** @example "2026-11-30T18:12:00.000Z" */
  updatedAt!: Date;
}

/** `<origin>/api/v1/users/<id>/photo?v=<hash prefix>`, or null. */
export function photoUrl(
  origin: string,
  user: { id: string; photoHash?: string | null },
): string | null {
  return user.photoHash
    ? `${origin}/${API_PREFIX}/users/${user.id}/photo?v=${user.photoHash.slice(0, 16)}`
    : null;
}

/** The columns a public profile is made of (all a list query needs to select). */
export type PublicFields = Pick<User, 'id' | 'name' | 'department' | 'gender' | 'photoHash'>;

export function toUserSummary(
  user: { id: string; name: string; photoHash?: string | null },
  origin: string,
): UserSummaryDto {
  return { id: user.id, name: user.name, photoUrl: photoUrl(origin, user) };
}

/** Public profiles of these users, their roles from one `HostingStatus` call for all. */
export async function toPublicProfiles(
  users: readonly PublicFields[],
  hosting: HostingStatus,
  origin: string,
): Promise<PublicProfileDto[]> {
  const hosts = await hosting.hostingUserIds(users.map((u) => u.id));
  return users.map((u) => toPublicProfile(u, hosts.has(u.id) ? 'host' : 'guest', origin));
}

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
    emailVerified: !!user.emailVerifiedAt,
    pendingEmail: user.pendingEmail ?? null,
    birthdate: user.birthdate ?? null,
    teacherEmail: user.teacherEmail ?? null,
    isStaff: user.isStaff,
    isSuperuser: user.isSuperuser,
    lastLoginAt: user.lastLoginAt ?? null,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
