import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsBoolean, IsOptional } from 'class-validator';
import { CreateInviteDto, InviteQueryDto, UpdateInviteDto } from '#porch/invites';
import type { InviteStatus } from '#porch/parties';
import { InviteStatusEnum } from '../enums.js';
import { Paged } from '../paged.js';
import { Connection } from '../pagination.js';

/** An invite (REST's InviteResponseDto); `party` and `guest` are resolved fields. */
@ObjectType('Invite')
export class InviteType {
  @Field(() => ID)
  id!: string;
  @Field(() => InviteStatusEnum)
  status!: InviteStatus;
  @Field(() => Int, { description: 'Friends the guest brings (0–5)' })
  plusOnes!: number;
  @Field(() => Date, { nullable: true, description: 'When the guest last answered' })
  respondedAt!: Date | null;
  @Field(() => Date, { description: 'When the guest was invited' })
  createdAt!: Date;
  @Field(() => Date)
  updatedAt!: Date;
  /** The party and guest in brief (the fields resolve the full objects). */
  party!: { id: string; host: { id: string; name: string; photoUrl: string | null } };
  guest!: { id: string; name: string; photoUrl: string | null };
}

export const InviteConnection = Connection(InviteType, 'Invite');

@ArgsType()
export class InvitesArgs extends Paged(InviteQueryDto) {
  @Field(() => InviteStatusEnum, {
    nullable: true,
    description: 'Only this status (INVITED: the Invited screen, CONFIRMED: the Confirmed one)',
  })
  override status?: InviteStatus;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Also invites to parties whose last entry has passed (default false)',
  })
  @IsOptional()
  @IsBoolean()
  includePast?: boolean;
}

@InputType('CreateInviteInput')
export class CreateInviteInput extends CreateInviteDto {
  @Field(() => ID, { description: 'The party; you must be its host' })
  override partyId!: string;
  @Field(() => ID, { description: 'The user to invite' })
  override guestId!: string;
  @Field(() => Int, { nullable: true, description: 'Friends the guest may bring (0–5, default 0)' })
  override plusOnes?: number;
}

@InputType('UpdateInviteInput')
export class UpdateInviteInput extends UpdateInviteDto {
  @Field(() => Int, { description: 'Friends the guest brings (0–5)' })
  override plusOnes!: number;
}
