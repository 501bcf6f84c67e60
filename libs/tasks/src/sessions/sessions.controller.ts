import { Controller, Get, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ApiPageResponse,
  ApiProblems,
  Authenticated,
  CurrentUser,
  Idempotent,
  IdParam,
  Pager,
  type Principal,
} from '#porch/core';
import { CreateSessionDto } from './dto/create-session.dto.js';
import { ListSessionsQueryDto } from './dto/list-sessions-query.dto.js';
import { SessionResponseDto } from './dto/session-response.dto.js';
import { SessionUploadBody } from './session-body.pipe.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('tasks')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  /**
   * Upload a finished session with its device, tasks and keypresses (all or nothing)
   *
   * Idempotent on the session id: resending the same body answers 200 with the stored session
   * and writes nothing; a different body under a known id is a 409.
   */
  @Post()
  @Idempotent()
  @Authenticated()
  @ApiBody({ type: CreateSessionDto })
  @ApiCreatedResponse({ type: SessionResponseDto, description: 'Stored' })
  @ApiOkResponse({
    type: SessionResponseDto,
    description: 'A retry: stored before, nothing written',
  })
  @ApiProblems({
    400: 'Malformed field (see `errors`)',
    409: 'The id is used by another upload',
    413: 'More than 500 tasks or 5,000 keypresses',
    422: 'startedAt after endedAt, or a time outside the session',
  })
  async upload(
    @CurrentUser() user: Principal,
    @SessionUploadBody() body: CreateSessionDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionResponseDto> {
    const { created, session } = await this.sessions.upload(user, body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return session;
  }

  /** My sessions, newest first */
  @Get()
  @Authenticated()
  @ApiPageResponse(SessionResponseDto)
  list(
    @CurrentUser() user: Principal,
    @Query() query: ListSessionsQueryDto,
    @Pager() pager: Pager,
  ) {
    return pager.page(query, this.sessions.list(user, query));
  }

  /** One of my sessions, with its counts */
  @Get(':id')
  @Authenticated({ permission: 'session.read', param: 'id' })
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiProblems({ 404: 'No such session of yours' })
  get(@IdParam() id: string): Promise<SessionResponseDto> {
    return this.sessions.get(id);
  }
}
