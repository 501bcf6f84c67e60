import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequestOrigin } from '#porch/accounts';
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
  type ProblemDescriptions,
} from '#porch/core';
import { CreateInviteDto } from './dto/create-invite.dto.js';
import { InviteQueryDto } from './dto/invite-query.dto.js';
import { InviteResponseDto } from './dto/invite-response.dto.js';
import { UpdateInviteDto } from './dto/update-invite.dto.js';
import { INVITE_TRANSITIONS } from './invite-transitions.js';
import { InvitesService } from './invites.service.js';

const NOT_VISIBLE = 'No such invite, or the caller is neither its guest nor its host';
const PARTY_OVER = 'The party is over';

/**
 * Docs of the state moves: 200 with the invite; 409 names the current status in `currentStatus`;
 * `problems` adds the move's own (its 422).
 * (`@HttpCode(200)` stays on each route: the Swagger plugin looks for it there.)
 */
const Move = (problems: ProblemDescriptions = {}) =>
  applyDecorators(
    ApiOkResponse({ type: InviteResponseDto }),
    ApiProblems({
      403: 'Not the guest/host this move needs',
      404: NOT_VISIBLE,
      409: 'Illegal from the current status; the body names it in `currentStatus`',
      ...problems,
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
  @ApiProblems({
    403: 'A guest of the party, not its host',
    404: 'No such party (or the caller may not see it), or no such active user',
    409: 'Already invited',
    422: 'The guest is the host, or the party is over',
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
  list(
    @CurrentUser() user: Principal,
    @Query() query: InviteQueryDto,
    @RequestOrigin() origin: string,
    @Pager() pager: Pager,
  ): Promise<Page<InviteResponseDto>> {
    return pager.page(query, this.invites.listMine(user, query, origin));
  }

  /** An invite, for its guest or its party's host. */
  @Get(':id')
  @Authenticated({ permission: 'invite.read', param: 'id' })
  @ApiOkResponse({ type: InviteResponseDto })
  @ApiProblems({ 404: NOT_VISIBLE })
  get(@IdParam() inviteId: string, @RequestOrigin() origin: string): Promise<InviteResponseDto> {
    return this.invites.get(inviteId, origin);
  }

  /** Change plus-ones (the guest, while the invite is open). */
  @Patch(':id')
  @Idempotent()
  @Authenticated({ permission: 'invite.respond', param: 'id' })
  @ApiOkResponse({ type: InviteResponseDto })
  @ApiProblems({
    403: 'Not the guest',
    404: NOT_VISIBLE,
    409: 'The invite is no longer open',
    422: PARTY_OVER,
  })
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
  @Move({ 422: PARTY_OVER })
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
  @Move({ 422: 'Outside the first–last entry window' })
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
  @Move({ 422: 'Before the first entry' })
  noShow(
    @CurrentUser() user: Principal,
    @IdParam() inviteId: string,
    @RequestOrigin() origin: string,
  ): Promise<InviteResponseDto> {
    return this.invites.transition(user, inviteId, 'no-show', origin);
  }
}
