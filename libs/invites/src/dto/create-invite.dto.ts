import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

export class CreateInviteDto {
  /** The party; the caller must be its host. @example "0193a5f3-0b2c-7e4f-a1b2-c3d4e5f60718" */
  @IsUUID()
  partyId!: string;

  /** The user to invite. @example "0193a5f2-7a40-7c11-8e2d-1f3a4b5c6d72" */
  @IsUUID()
  guestId!: string;

  /** Friends the guest may bring (0–5, default 0). @example 1 */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  plusOnes?: number;
}
