import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiPageResponse,
  ApiProblems,
  Authenticated,
  CurrentUser,
  Idempotent,
  IdParam,
  NoIdempotency,
  PageQueryDto,
  Pager,
  ParseUserIdPipe,
  type Principal,
} from '#porch/core';
import { AddMemberDto } from './dto/add-member.dto.js';
import { CreateGroupDto } from './dto/create-group.dto.js';
import {
  GroupMemberResponseDto,
  GroupResponseDto,
  GroupTaskResponseDto,
  JoinCodeResponseDto,
} from './dto/group-response.dto.js';
import { JoinGroupDto } from './dto/join-group.dto.js';
import { GroupTasksQueryDto, ListGroupsQueryDto } from './dto/list-groups-query.dto.js';
import { GroupsService } from './groups.service.js';

const NOT_YOURS = 'No such group among yours';
const NOT_OWNER = 'You are a member, not the owner';
const NOT_INVITED = 'No invitation to this group';

@ApiTags('tasks')
@Controller('groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  /** Create a group that you own (with a join code to share) */
  @Post()
  @Idempotent()
  @Authenticated()
  @ApiCreatedResponse({ type: GroupResponseDto })
  @ApiProblems({ 409: 'You own a group with that name' })
  create(@CurrentUser() user: Principal, @Body() body: CreateGroupDto): Promise<GroupResponseDto> {
    return this.groups.create(user, body);
  }

  /** Groups you own, belong to, or are invited to, with your membership in each */
  @Get()
  @Authenticated()
  @ApiPageResponse(GroupResponseDto)
  list(@CurrentUser() user: Principal, @Query() query: ListGroupsQueryDto, @Pager() pager: Pager) {
    return pager.page(query, this.groups.list(user, query));
  }

  /** One of your groups, or one you are invited to */
  @Get(':id')
  @Authenticated({ permission: 'group.read', param: 'id' })
  @ApiOkResponse({ type: GroupResponseDto })
  @ApiProblems({ 404: NOT_YOURS })
  get(@CurrentUser() user: Principal, @IdParam() id: string): Promise<GroupResponseDto> {
    return this.groups.get(user, id);
  }

  /** The owner and members of one of your groups (the owner also sees invitations) */
  @Get(':id/members')
  @Authenticated({ permission: 'group.members', param: 'id' })
  @ApiPageResponse(GroupMemberResponseDto)
  @ApiProblems({ 404: NOT_YOURS })
  members(
    @CurrentUser() user: Principal,
    @IdParam() id: string,
    @Query() query: PageQueryDto,
    @Pager() pager: Pager,
  ) {
    return pager.page(query, this.groups.members(user, id, query));
  }

  /** Invite a user (owner only): a pending membership until they accept */
  @Post(':id/members')
  @Idempotent()
  @Authenticated({ permission: 'group.manage', param: 'id' })
  @ApiOperation({
    description:
      "Nothing of the invitee's reaches the group until they accept (POST /groups/{id}/accept) " +
      'or join with the code.',
  })
  @ApiCreatedResponse({ type: GroupMemberResponseDto })
  @ApiProblems({
    403: NOT_OWNER,
    404: `${NOT_YOURS}, or user`,
    409: 'Already a member, already invited, or the user declined (`currentStatus`)',
  })
  addMember(
    @CurrentUser() user: Principal,
    @IdParam() id: string,
    @Body() body: AddMemberDto,
  ): Promise<GroupMemberResponseDto> {
    return this.groups.addMember(user, id, body);
  }

  /**
   * Remove a member or cancel an invitation (owner), or leave / drop your invitation (`me`)
   */
  @Delete(':id/members/:userId')
  @Authenticated({ permission: 'group.read', param: 'id' })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems({
    403: 'A member removing someone else',
    404: `${NOT_YOURS}, or member`,
    422: 'The owner cannot leave',
  })
  removeMember(
    @CurrentUser() user: Principal,
    @IdParam() id: string,
    @Param('userId', ParseUserIdPipe) userId: string,
  ): Promise<void> {
    return this.groups.removeMember(user, id, userId);
  }

  /** Accept an invitation: from now on the group sees your tasks */
  @Post(':id/accept')
  @Idempotent()
  @Authenticated({ permission: 'group.read', param: 'id' })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: GroupResponseDto, description: 'Your membership is `accepted`' })
  @ApiProblems({ 404: NOT_INVITED, 409: 'You own this group' })
  accept(@CurrentUser() user: Principal, @IdParam() id: string): Promise<GroupResponseDto> {
    return this.groups.accept(user, id);
  }

  /** Decline an invitation (the owner cannot invite you again; the code still works) */
  @Post(':id/decline')
  @Idempotent()
  @Authenticated({ permission: 'group.read', param: 'id' })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: GroupResponseDto, description: 'Your membership is `declined`' })
  @ApiProblems({ 404: NOT_INVITED, 409: 'You own the group, or are a member (leave instead)' })
  decline(@CurrentUser() user: Principal, @IdParam() id: string): Promise<GroupResponseDto> {
    return this.groups.decline(user, id);
  }

  /** Join with the code the owner shared: a member at once, invited or not */
  @Post(':id/join')
  @Authenticated()
  // Idempotent by nature (a second join answers the same membership), and the code is a
  // credential: a retry must present one that still works, never replay a stored answer.
  @NoIdempotency()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: GroupResponseDto, description: 'Your membership is `accepted`' })
  @ApiProblems({
    404: 'No group with this id and code (or joining by code is off)',
    429: 'Too many wrong codes from you this hour (Retry-After)',
  })
  join(
    @CurrentUser() user: Principal,
    @IdParam() id: string,
    @Body() body: JoinGroupDto,
  ): Promise<GroupResponseDto> {
    return this.groups.join(user, id, body.code);
  }

  /** Make a new join code (owner only); the old one stops working */
  @Post(':id/join-code')
  @Idempotent()
  @Authenticated({ permission: 'group.manage', param: 'id' })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: JoinCodeResponseDto })
  @ApiProblems({ 403: NOT_OWNER, 404: NOT_YOURS })
  rotateJoinCode(
    @CurrentUser() user: Principal,
    @IdParam() id: string,
  ): Promise<JoinCodeResponseDto> {
    return this.groups.rotateJoinCode(user, id);
  }

  /** Turn joining by code off (owner only); POST makes a new code */
  @Delete(':id/join-code')
  @Authenticated({ permission: 'group.manage', param: 'id' })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'No code works any more' })
  @ApiProblems({ 403: NOT_OWNER, 404: NOT_YOURS })
  disableJoinCode(@CurrentUser() user: Principal, @IdParam() id: string): Promise<void> {
    return this.groups.disableJoinCode(user, id);
  }

  /** Tasks of the group's owner and accepted members, except your own */
  @Get(':id/tasks')
  @Authenticated({ permission: 'group.members', param: 'id' })
  @ApiPageResponse(GroupTaskResponseDto)
  @ApiProblems({ 404: NOT_YOURS })
  tasks(
    @CurrentUser() user: Principal,
    @IdParam() id: string,
    @Query() query: GroupTasksQueryDto,
    @Pager() pager: Pager,
  ) {
    return pager.page(query, this.groups.tasks(user, id, query));
  }
}
