import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Req } from '@nestjs/common';
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
import { PublicProfileDto, RequestOrigin } from '#porch/accounts';
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
import { CreatePartyDto } from './dto/create-party.dto.js';
import { GuestListEntryDto, GuestListQueryDto } from './dto/guest-list.dto.js';
import { InvitableQueryDto } from './dto/invitable-query.dto.js';
import { PartyResponseDto } from './dto/party-response.dto.js';
import { UpdatePartyDto } from './dto/update-party.dto.js';
import { PartiesService } from './parties.service.js';

const NotVisible = () =>
  ApiNotFoundResponse({
    description: 'No such party, or the caller may not see it',
    type: ProblemDetails,
  });

const NotHost = () => ApiForbiddenResponse({ description: 'Not the host', type: ProblemDetails });

@ApiTags('parties')
@Controller('parties')
export class PartiesController {
  constructor(private readonly parties: PartiesService) {}

  /** Host a party: the caller becomes its host. */
  @Post()
  @Idempotent()
  @Authenticated()
  @ApiCreatedResponse({ type: PartyResponseDto })
  @ApiConflictResponse({
    description: 'The caller already hosts a party whose last entry is ahead',
    type: ProblemDetails,
  })
  @ApiUnprocessableEntityResponse({
    description: 'firstEntry is in the past',
    type: ProblemDetails,
  })
  create(
    @CurrentUser() user: Principal,
    @Body() body: CreatePartyDto,
    @RequestOrigin() origin: string,
  ): Promise<PartyResponseDto> {
    return this.parties.create(user, body, origin);
  }

  /** A party: for its host, its invited guests and staff. */
  @Get(':id')
  @Authenticated({ permission: 'party.read', param: 'id' })
  @NotVisible()
  @ApiOkResponse({ type: PartyResponseDto })
  get(
    @CurrentUser() user: Principal,
    @IdParam() partyId: string,
    @RequestOrigin() origin: string,
  ): Promise<PartyResponseDto> {
    return this.parties.get(partyId, origin);
  }

  /** Change a party (host only). */
  @Patch(':id')
  @Idempotent()
  @Authenticated({ permission: 'party.update', param: 'id' })
  @NotVisible()
  @ApiOkResponse({ type: PartyResponseDto })
  @NotHost()
  @ApiConflictResponse({
    description: 'The new time clashes with another party of the host',
    type: ProblemDetails,
  })
  @ApiUnprocessableEntityResponse({
    description: 'The party is over, or the new firstEntry is in the past',
    type: ProblemDetails,
  })
  update(
    @IdParam() partyId: string,
    @Body() body: UpdatePartyDto,
    @RequestOrigin() origin: string,
  ): Promise<PartyResponseDto> {
    return this.parties.update(partyId, body, origin);
  }

  /** Cancel a party (host only): it is soft-deleted and its open invites are canceled. */
  @Delete(':id')
  @Authenticated({ permission: 'party.delete', param: 'id' })
  @NotVisible()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @NotHost()
  remove(@IdParam() partyId: string): Promise<void> {
    return this.parties.remove(partyId);
  }

  /** The guest list: invites with the guests' profiles (host only). */
  @Get(':id/guests')
  @Authenticated({ permission: 'party.guests', param: 'id' })
  @NotVisible()
  @ApiPageResponse(GuestListEntryDto)
  @NotHost()
  async guests(
    @IdParam() partyId: string,
    @Query() query: GuestListQueryDto,
    @Req() req: Request,
    @RequestOrigin() origin: string,
  ): Promise<Page<GuestListEntryDto>> {
    const { count, results } = await this.parties.guests(partyId, query, origin);
    return paginate(req, query, count, results);
  }

  /** Users the host can still invite: active, not the host, not invited yet (host only). */
  @Get(':id/invitable')
  @Authenticated({ permission: 'party.guests', param: 'id' })
  @NotVisible()
  @ApiPageResponse(PublicProfileDto)
  @NotHost()
  async invitable(
    @CurrentUser() user: Principal,
    @IdParam() partyId: string,
    @Query() query: InvitableQueryDto,
    @Req() req: Request,
    @RequestOrigin() origin: string,
  ): Promise<Page<PublicProfileDto>> {
    const { count, results } = await this.parties.invitable(user, partyId, query, origin);
    return paginate(req, query, count, results);
  }
}
