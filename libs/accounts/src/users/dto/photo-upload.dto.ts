import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** A new profile photo: a `photo` file part (multipart), or a base64 / data-URL string (JSON). */
export class PhotoUploadDto {
  /**
   * JPEG, PNG or WebP (checked by its bytes), at most 2 MiB.
   * @example "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ…"
   */
  @ApiProperty({ type: String, format: 'binary' })
  @IsOptional()
  @IsString()
  photo?: string;
}
