import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsUUID } from 'class-validator';
import {
  CreatePartyDto,
  GuestListQueryDto,
  InvitableQueryDto,
  UpdatePartyDto,
  UserPartiesQueryDto,
  type InviteStatus,
  type PartyWhen,
  type Vibe,
} from '#porch/parties';
import { UserType } from '../accounts/user.types.js';
import { InviteStatusEnum, PartyWhenEnum, VibeEnum } from '../enums.js';
import { Paged } from '../paged.js';
import { Connection } from '../pagination.js';

@ObjectType('InviteCounts', { description: "A party's invites per status" })
export class InviteCountsType {
  @Field(() => Int)
  invited!: number;
  @Field(() => Int)
  confirmed!: number;
  @Field(() => Int)
  canceled!: number;
  @Field(() => Int)
  checked_in!: number;
  @Field(() => Int)
  no_show!: number;
}

/** A health region's id and names: the fields `HealthRegion` and `HealthRegionShare` share. */
@ObjectType({ isAbstract: true })
export abstract class HealthRegionNamesType {
  @Field(() => Int)
  hrUid!: number;
  @Field(() => String)
  nameEn!: string;
  @Field(() => String)
  nameFr!: string;
  @Field(() => String)
  shortNameEn!: string;
  @Field(() => String)
  shortNameFr!: string;
}

@ObjectType('HealthRegionShare', {
  description: 'A health region a postal code lies in, with its share of the FSA',
})
export class HealthRegionShareType extends HealthRegionNamesType {
  @Field(() => Int, { nullable: true })
  estimatedPopulation!: number | null;
  @Field(() => Float)
  share!: number;
}

/** A party (REST's PartyResponseDto); `host`, `inviteCounts` and the lists are resolved fields. */
@ObjectType('Party')
export class PartyType {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  flat!: string;
  @Field(() => Date)
  firstEntry!: Date;
  @Field(() => Date, { description: 'firstEntry + 12 hours' })
  lastEntry!: Date;
  @Field(() => Boolean, { description: 'Between first and last entry' })
  isLive!: boolean;
  @Field(() => Boolean, { description: 'The last entry has passed' })
  isOver!: boolean;
  @Field(() => VibeEnum)
  vibe!: Vibe;
  @Field(() => String)
  vibeLabel!: string;
  @Field(() => String, { nullable: true })
  description!: string | null;
  @Field(() => String, { nullable: true })
  postalCode!: string | null;
  @Field(() => [HealthRegionShareType])
  healthRegions!: HealthRegionShareType[];
  @Field(() => Date)
  createdAt!: Date;
  @Field(() => Date)
  updatedAt!: Date;
  /** The host in brief (the `host` field resolves the full public profile). */
  host!: { id: string; name: string; photoUrl: string | null };
}

export const PartyConnection = Connection(PartyType, 'Party');

/** One invite of a party's guest list, with the guest's public profile. */
@ObjectType('GuestListEntry')
export class GuestListEntryType {
  @Field(() => ID, { description: "The invite's id" })
  id!: string;
  @Field(() => InviteStatusEnum)
  status!: InviteStatus;
  @Field(() => Int)
  plusOnes!: number;
  @Field(() => Date, { nullable: true })
  respondedAt!: Date | null;
  @Field(() => Date, { description: 'When the guest was invited' })
  createdAt!: Date;
  @Field(() => UserType)
  guest!: UserType;
}

export const GuestListConnection = Connection(GuestListEntryType, 'GuestListEntry');

@InputType('CreatePartyInput')
export class CreatePartyInput extends CreatePartyDto {
  @Field(() => String, { description: "The flat's name or number" })
  override flat!: string;
  // A string, checked as REST checks it (an ISO 8601 timestamp with its offset).
  @Field(() => String, { description: 'ISO 8601 timestamp with an offset, not in the past' })
  override firstEntry!: Date;
  @Field(() => VibeEnum, { nullable: true, description: 'Default CHILL' })
  override vibe?: Vibe;
  @Field(() => String, { nullable: true })
  override description?: string | null;
  @Field(() => String, { nullable: true, description: '`A1A 1A1`, or its FSA `A1A`' })
  override postalCode?: string | null;
}

@InputType('UpdatePartyInput')
export class UpdatePartyInput extends UpdatePartyDto {
  @Field(() => String, { nullable: true })
  override flat?: string;
  @Field(() => String, { nullable: true, description: 'ISO 8601 timestamp with an offset' })
  override firstEntry?: Date;
  @Field(() => VibeEnum, { nullable: true })
  override vibe?: Vibe;
  @Field(() => String, { nullable: true })
  override description?: string | null;
  @Field(() => String, { nullable: true })
  override postalCode?: string | null;
}

@ArgsType()
export class PartiesArgs extends Paged(UserPartiesQueryDto) {
  @Field(() => ID, { nullable: true, description: 'Whose parties (staff only); default you' })
  @IsOptional()
  @IsUUID(undefined, { message: 'userId must be a UUID' })
  userId?: string;
  @Field(() => PartyWhenEnum, { nullable: true, description: 'Default UPCOMING' })
  override when!: PartyWhen;
  @Field(() => String, { nullable: true, description: '`firstEntry` (default) or `-firstEntry`' })
  override ordering?: string;
}

@ArgsType()
export class GuestsArgs extends Paged(GuestListQueryDto) {
  @Field(() => InviteStatusEnum, { nullable: true })
  override status?: InviteStatus;
}

@ArgsType()
export class InvitableArgs extends Paged(InvitableQueryDto) {
  @Field(() => String, {
    nullable: true,
    description: 'Part of a name (staff: of a name or an email)',
  })
  override search?: string;
}
