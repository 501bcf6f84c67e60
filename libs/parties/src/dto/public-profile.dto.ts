import { ApiProperty } from '@nestjs/swagger';
import { Department, Gender } from '#porch/accounts';
import { userPhotoUrl } from '../user-photo.js';

/** A user as other users see them (guest lists, the invitable browse). */
export class PublicProfileDto {
  id!: string;
  name!: string;
  @ApiProperty({ enum: Department, enumName: 'Department', nullable: true })
  department!: `${Department}` | null;
  @ApiProperty({ enum: Gender, enumName: 'Gender' })
  gender!: `${Gender}`;
  /** Null when the user has no photo. */
  photoUrl!: string | null;
}

export interface ProfileRow {
  id: string;
  name: string;
  department: Department | null;
  gender: Gender;
  photo_hash: string | null;
}

export function toPublicProfile(row: ProfileRow): PublicProfileDto {
  return {
    id: row.id,
    name: row.name,
    department: row.department ?? null,
    gender: row.gender,
    photoUrl: userPhotoUrl({ id: row.id, photoHash: row.photo_hash }),
  };
}
