import { IsInt, Max, Min } from 'class-validator';

export class UpdateInviteDto {
  /** Friends the guest brings (0–5). @example 2 */
  @IsInt()
  @Min(0)
  @Max(5)
  plusOnes!: number;
}
