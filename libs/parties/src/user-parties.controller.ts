import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { RequestOrigin } from '#porch/accounts';
import {
  ApiPageResponse,
  ApiProblems,
  Authenticated,
  CurrentUser,
  type Page,
  Pager,
  ParseUserIdPipe,
  type Principal,
} from '#porch/core';
import { PartyResponseDto } from './dto/party-response.dto.js';
import { UserPartiesQueryDto } from './dto/user-parties-query.dto.js';
import { PartiesService } from './parties.service.js';

@ApiTags('parties')
@Controller('users/:userId/parties')
export class UserPartiesController {
  constructor(private readonly parties: PartiesService) {}

  /**
   * The parties a user hosts (default `when=upcoming`, live ones included), by first entry.
   * `me` for the caller; another user's list is for staff only.
   */
  @Get()
  @Authenticated({ permission: 'user.parties', param: 'userId', me: true })
  @ApiParam({ name: 'userId', description: 'A user id, or `me`' })
  @ApiPageResponse(PartyResponseDto)
  @ApiProblems({ 403: "Another user's list, not staff", 404: 'No such user (staff)' })
  list(
    @CurrentUser() user: Principal,
    @Param('userId', ParseUserIdPipe) userIdOrMe: string,
    @Query() query: UserPartiesQueryDto,
    @RequestOrigin() origin: string,
    @Pager() pager: Pager,
  ): Promise<Page<PartyResponseDto>> {
    return pager.page(
      query,
      this.parties.listForUser(userIdOrMe === 'me' ? user.id : userIdOrMe, query, origin),
    );
  }
}
