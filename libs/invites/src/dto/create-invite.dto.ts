import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

export class CreateInviteDto {
  /** The party; the caller must be its host. */
  @IsUUID()
  partyId!: string;

  /** The user to invite. */
  @IsUUID()
  guestId!: string;

  /** Friends the guest may bring (0–5, default 0). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  plusOnes?: number;
}
