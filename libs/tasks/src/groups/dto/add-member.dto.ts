import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class AddMemberDto {
  /** The user to add (an active account). @example "0193a5f2-7a40-7c11-8e2d-1f3a4b5c6d72" */
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;
}
