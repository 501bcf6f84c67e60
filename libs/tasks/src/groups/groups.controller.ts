import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import {
  ApiPageResponse,
  Authenticated,
  CurrentUser,
  PageQueryDto,
  paginate,
  ProblemDetails,
  type Principal,
} from '#porch/core';
import { AddMemberDto } from './dto/add-member.dto.js';
import { CreateGroupDto } from './dto/create-group.dto.js';
import {
  GroupMemberResponseDto,
  GroupResponseDto,
  GroupTaskResponseDto,
} from './dto/group-response.dto.js';
import { GroupTasksQueryDto, ListGroupsQueryDto } from './dto/list-groups-query.dto.js';
import { GroupsService } from './groups.service.js';

const notFound = () =>
  ApiNotFoundResponse({ type: ProblemDetails, description: 'No such group among yours' });

@ApiTags('tasks')
@Controller('groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  /** Create a group that you own */
  @Post()
  @Authenticated()
  @ApiCreatedResponse({ type: GroupResponseDto })
  @ApiConflictResponse({ type: ProblemDetails, description: 'You own a group with that name' })
  create(@CurrentUser() user: Principal, @Body() body: CreateGroupDto): Promise<GroupResponseDto> {
    return this.groups.create(user.id, body);
  }

  /** Groups you own or belong to */
  @Get()
  @Authenticated()
  @ApiPageResponse(GroupResponseDto)
  async list(
    @CurrentUser() user: Principal,
    @Query() query: ListGroupsQueryDto,
    @Req() req: Request,
  ) {
    const { count, results } = await this.groups.list(user.id, query);
    return paginate(req, query, count, results);
  }

  /** One of your groups */
  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: GroupResponseDto })
  @notFound()
  get(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<GroupResponseDto> {
    return this.groups.get(user.id, id);
  }

  /** The owner and members of one of your groups */
  @Get(':id/members')
  @Authenticated()
  @ApiPageResponse(GroupMemberResponseDto)
  @notFound()
  async members(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
    @Req() req: Request,
  ) {
    const { count, results } = await this.groups.members(user.id, id, query);
    return paginate(req, query, count, results);
  }

  /** Add a member (owner only) */
  @Post(':id/members')
  @Authenticated()
  @ApiCreatedResponse({ type: GroupMemberResponseDto })
  @ApiForbiddenResponse({ type: ProblemDetails, description: 'You are a member, not the owner' })
  @ApiNotFoundResponse({ type: ProblemDetails, description: 'No such group among yours, or user' })
  @ApiConflictResponse({ type: ProblemDetails, description: 'Already a member' })
  addMember(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AddMemberDto,
  ): Promise<GroupMemberResponseDto> {
    return this.groups.addMember(user.id, id, body);
  }

  /** Remove a member (owner), or leave the group (a member removing themself) */
  @Delete(':id/members/:userId')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiForbiddenResponse({ type: ProblemDetails, description: 'A member removing someone else' })
  @ApiNotFoundResponse({
    type: ProblemDetails,
    description: 'No such group among yours, or member',
  })
  @ApiUnprocessableEntityResponse({ type: ProblemDetails, description: 'The owner cannot leave' })
  removeMember(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('userId', ParseUUIDPipe) userId: string,
  ): Promise<void> {
    return this.groups.removeMember(user.id, id, userId);
  }

  /** Tasks of the group's members (the owner included) except your own */
  @Get(':id/tasks')
  @Authenticated()
  @ApiPageResponse(GroupTaskResponseDto)
  @notFound()
  async tasks(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: GroupTasksQueryDto,
    @Req() req: Request,
  ) {
    const { count, results } = await this.groups.tasks(user.id, id, query);
    return paginate(req, query, count, results);
  }
}
