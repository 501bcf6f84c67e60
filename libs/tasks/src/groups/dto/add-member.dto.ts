import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class AddMemberDto {
  /** The user to add (an active account). */
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;
}
