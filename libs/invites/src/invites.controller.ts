import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { RequestOrigin } from '#porch/accounts';
import {
  ApiPageResponse,
  Authenticated,
  CurrentUser,
  Idempotent,
  IdParam,
  type Page,
  paginate,
  type Principal,
  ProblemDetails,
} from '#porch/core';
import { CreateInviteDto } from './dto/create-invite.dto.js';
import { InviteQueryDto } from './dto/invite-query.dto.js';
import { InviteResponseDto } from './dto/invite-response.dto.js';
import { UpdateInviteDto } from './dto/update-invite.dto.js';
import { INVITE_TRANSITIONS } from './invite-transitions.js';
import { InvitesService } from './invites.service.js';

const NotVisible = () =>
  ApiNotFoundResponse({
    description: 'No such invite, or the caller is neither its guest nor its host',
    type: ProblemDetails,
  });

/**
 * Docs of the state moves: 200 with the invite; 409 names the current status in `currentStatus`.
 * (`@HttpCode(200)` stays on each route: the Swagger plugin looks for it there.)
 */
const Move = () =>
  applyDecorators(
    NotVisible(),
    ApiOkResponse({ type: InviteResponseDto }),
    ApiForbiddenResponse({
      description: 'Not the guest/host this move needs',
      type: ProblemDetails,
    }),
    ApiConflictResponse({
      description: 'Illegal from the current status; the body names it in `currentStatus`',
      type: ProblemDetails,
    }),
  );

@ApiTags('invites')
@Controller('invites')
export class InvitesController {
  constructor(private readonly invites: InvitesService) {}

  /** Invite a user to a party (its host only); emails the guest. */
  @Post()
  @Idempotent()
  @Authenticated()
  @ApiCreatedResponse({ type: InviteResponseDto })
  @ApiNotFoundResponse({
    description: 'No such party (or the caller may not see it), or no such active user',
    type: ProblemDetails,
  })
  @ApiForbiddenResponse({ description: 'A guest of the party, not its host', type: ProblemDetails })
  @ApiConflictResponse({ description: 'Already invited', type: ProblemDetails })
  @ApiUnprocessableEntityResponse({
    description: 'The guest is the host, or the party is over',
    type: ProblemDetails,
  })
  create(
    @CurrentUser() user: Principal,
    @Body() body: CreateInviteDto,
    @RequestOrigin() origin: string,
  ): Promise<InviteResponseDto> {
    return this.invites.create(user, body, origin);
  }

  /** The caller's invites as a guest (parties not over yet, unless `include=past`). */
  @Get()
  @Authenticated()
  @ApiPageResponse(InviteResponseDto)
  async list(
    @CurrentUser() user: Principal,
    @Query() query: InviteQueryDto,
    @Req() req: Request,
    @RequestOrigin() origin: string,
  ): Promise<Page<InviteResponseDto>> {
    const { count, results } = await this.invites.listMine(user, query, origin);
    return paginate(req, query, count, results);
  }

  /** An invite, for its guest or its party's host. */
  @Get(':id')
  @Authenticated({ permission: 'invite.read', param: 'id' })
  @ApiOkResponse({ type: InviteResponseDto })
  @NotVisible()
  get(@IdParam() inviteId: string, @RequestOrigin() origin: string): Promise<InviteResponseDto> {
    return this.invites.get(inviteId, origin);
  }

  /** Change plus-ones (the guest, while the invite is open). */
  @Patch(':id')
  @Idempotent()
  @Authenticated({ permission: 'invite.respond', param: 'id' })
  @ApiOkResponse({ type: InviteResponseDto })
  @NotVisible()
  @ApiForbiddenResponse({ description: 'Not the guest', type: ProblemDetails })
  @ApiConflictResponse({ description: 'The invite is no longer open', type: ProblemDetails })
  @ApiUnprocessableEntityResponse({ description: 'The party is over', type: ProblemDetails })
  update(
    @IdParam() inviteId: string,
    @Body() body: UpdateInviteDto,
    @RequestOrigin() origin: string,
  ): Promise<InviteResponseDto> {
    return this.invites.update(inviteId, body, origin);
  }

  /** The guest accepts: invited → confirmed. */
  @Post(':id/confirm')
  @Idempotent()
  @Authenticated({ permission: INVITE_TRANSITIONS.confirm.permission, param: 'id' })
  @HttpCode(200)
  @Move()
  @ApiUnprocessableEntityResponse({ description: 'The party is over', type: ProblemDetails })
  confirm(
    @CurrentUser() user: Principal,
    @IdParam() inviteId: string,
    @RequestOrigin() origin: string,
  ): Promise<InviteResponseDto> {
    return this.invites.transition(user, inviteId, 'confirm', origin);
  }

  /** The guest or the host cancels an open invite: invited/confirmed → canceled. */
  @Post(':id/cancel')
  @Idempotent()
  @Authenticated({ permission: INVITE_TRANSITIONS.cancel.permission, param: 'id' })
  @HttpCode(200)
  @Move()
  cancel(
    @CurrentUser() user: Principal,
    @IdParam() inviteId: string,
    @RequestOrigin() origin: string,
  ): Promise<InviteResponseDto> {
    return this.invites.transition(user, inviteId, 'cancel', origin);
  }

  /** The host lets a guest in: confirmed → checked_in, between first and last entry. */
  @Post(':id/check-in')
  @Idempotent()
  @Authenticated({ permission: INVITE_TRANSITIONS['check-in'].permission, param: 'id' })
  @HttpCode(200)
  @Move()
  @ApiUnprocessableEntityResponse({
    description: 'Outside the first–last entry window',
    type: ProblemDetails,
  })
  checkIn(
    @CurrentUser() user: Principal,
    @IdParam() inviteId: string,
    @RequestOrigin() origin: string,
  ): Promise<InviteResponseDto> {
    return this.invites.transition(user, inviteId, 'check-in', origin);
  }

  /** The host marks a confirmed guest who never came: confirmed → no_show, after first entry. */
  @Post(':id/no-show')
  @Idempotent()
  @Authenticated({ permission: INVITE_TRANSITIONS['no-show'].permission, param: 'id' })
  @HttpCode(200)
  @Move()
  @ApiUnprocessableEntityResponse({ description: 'Before the first entry', type: ProblemDetails })
  noShow(
    @CurrentUser() user: Principal,
    @IdParam() inviteId: string,
    @RequestOrigin() origin: string,
  ): Promise<InviteResponseDto> {
    return this.invites.transition(user, inviteId, 'no-show', origin);
  }
}
