import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsOrdering, PageQueryDto } from '#porch/core';
import { Department, type DepartmentValue } from '../user.entity.js';

export const USER_ORDERING = ['name', 'createdAt'] as const;

/** `GET /users`: browse active users. */
export class UsersQueryDto extends PageQueryDto {
  /** Part of the name, any case (staff: of the name or the email). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ enum: Department, enumName: 'Department' })
  @IsOptional()
  @IsEnum(Department)
  department?: DepartmentValue;

  /** `name`, `createdAt`, or either with `-` for descending; default `name`. */
  @IsOptional()
  @IsOrdering(USER_ORDERING)
  ordering?: string;
}
