import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Patch,
  Put,
  Query,
  Res,
  UploadedFile,
} from '@nestjs/common';
import {
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ApiPageResponse,
  ApiProblems,
  Authenticated,
  CurrentUser,
  Idempotent,
  IdParam,
  type Page,
  Pager,
  type Principal,
} from '#porch/core';
import { PhotoUploadDto } from './dto/photo-upload.dto.js';
import { UpdateMeDto } from './dto/update-me.dto.js';
import { MeProfileDto, PublicProfileDto } from './dto/user-response.dto.js';
import { UsersQueryDto } from './dto/users-query.dto.js';
import { PhotoUpload, type UploadedPhoto } from './photo-upload.js';
import { RequestOrigin } from './request-origin.decorator.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Your own profile. */
  @Get('me')
  @Authenticated()
  @ApiOkResponse({ type: MeProfileDto })
  me(@CurrentUser() user: Principal, @RequestOrigin() origin: string): Promise<MeProfileDto> {
    return this.users.me(user.id, origin);
  }

  /** Change your profile. `isStaff`, `isSuperuser`, `isActive` and `password` are refused (400). */
  @Patch('me')
  @Idempotent()
  @Authenticated()
  @ApiOkResponse({ type: MeProfileDto })
  @ApiProblems({ 409: 'The new email is taken' })
  updateMe(
    @CurrentUser() user: Principal,
    @Body() body: UpdateMeDto,
    @RequestOrigin() origin: string,
  ): Promise<MeProfileDto> {
    return this.users.updateMe(user.id, body, origin);
  }

  /** Delete your account: soft delete, deactivation, every token revoked. */
  @Delete('me')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteMe(@CurrentUser() user: Principal): Promise<void> {
    return this.users.deleteMe(user.id);
  }

  /** Set your photo: a `photo` file part, or `{ "photo": "<base64 or data URL>" }`. */
  @Put('me/photo')
  @Authenticated()
  @PhotoUpload()
  @ApiBody({ type: PhotoUploadDto })
  @ApiOkResponse({ type: MeProfileDto })
  setPhoto(
    @CurrentUser() user: Principal,
    @Body() body: PhotoUploadDto,
    @UploadedFile() file: UploadedPhoto | undefined,
    @RequestOrigin() origin: string,
  ): Promise<MeProfileDto> {
    return this.users.setPhoto(user.id, file, body.photo, origin);
  }

  /** Remove your photo. */
  @Delete('me/photo')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed (or there was none)' })
  removePhoto(@CurrentUser() user: Principal): Promise<void> {
    return this.users.removePhoto(user.id);
  }

  /** Browse active users by name (staff: also by email), and department. */
  @Get()
  @Authenticated()
  @ApiPageResponse(PublicProfileDto)
  list(
    @CurrentUser() user: Principal,
    @Query() query: UsersQueryDto,
    @RequestOrigin() origin: string,
    @Pager() pager: Pager,
  ): Promise<Page<PublicProfileDto>> {
    return pager.page(query, this.users.list(user, query, origin));
  }

  /** A user's public profile. */
  @Get(':id')
  @Authenticated({ permission: 'user.read', param: 'id' })
  @ApiOkResponse({ type: PublicProfileDto })
  @ApiProblems({ 404: 'No such user, or deleted' })
  profile(@IdParam() id: string, @RequestOrigin() origin: string): Promise<PublicProfileDto> {
    return this.users.profile(id, origin);
  }

  /** A user's photo: the image bytes with their type. */
  @Get(':id/photo')
  @ApiOperation({
    description:
      'Strong `ETag` (304 on `If-None-Match`) and `Cache-Control: private, max-age=86400`; ' +
      "the profile's photoUrl changes whenever the photo does.",
  })
  @Authenticated({ permission: 'user.read', param: 'id' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @ApiQuery({
    name: 'v',
    required: false,
    description: 'Version from photoUrl (cache busting); any value is accepted',
  })
  @ApiOkResponse({ description: 'The image bytes', schema: { type: 'string', format: 'binary' } })
  @ApiProblems({ 404: 'No photo, or no such user' })
  async photo(
    @IdParam() id: string,
    @Query('v') _version: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const photo = await this.users.photo(id);
    // res.send() answers 304 itself when If-None-Match matches this ETag (req.fresh).
    res
      .set({ ETag: `"${photo.hash}"`, 'Cache-Control': 'private, max-age=86400' })
      .type(photo.type)
      .send(photo.bytes);
  }
}
