import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PublicProfileDto, RequestOrigin } from '#porch/accounts';
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
import { CreatePartyDto } from './dto/create-party.dto.js';
import { GuestListEntryDto, GuestListQueryDto } from './dto/guest-list.dto.js';
import { InvitableQueryDto } from './dto/invitable-query.dto.js';
import { PartyResponseDto } from './dto/party-response.dto.js';
import { UpdatePartyDto } from './dto/update-party.dto.js';
import { PartiesService } from './parties.service.js';

const NOT_VISIBLE = 'No such party, or the caller may not see it';

/** The problems of a host-only route on a party: 404 (not visible), 403 (not the host), `more`. */
const HostOnly = (more: ProblemDescriptions = {}) =>
  ApiProblems({ 403: 'Not the host', 404: NOT_VISIBLE, ...more });

@ApiTags('parties')
@Controller('parties')
export class PartiesController {
  constructor(private readonly parties: PartiesService) {}

  /** Host a party: the caller becomes its host. */
  @Post()
  @Idempotent()
  @Authenticated()
  @ApiCreatedResponse({ type: PartyResponseDto })
  @ApiProblems({
    409: 'The caller already hosts a party whose last entry is ahead',
    422: 'firstEntry is in the past',
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
  @ApiOkResponse({ type: PartyResponseDto })
  @ApiProblems({ 404: NOT_VISIBLE })
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
  @ApiOkResponse({ type: PartyResponseDto })
  @HostOnly({
    409: 'The new time clashes with another party of the host',
    422: 'The party is over, or the new firstEntry is in the past',
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
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @HostOnly()
  remove(@IdParam() partyId: string): Promise<void> {
    return this.parties.remove(partyId);
  }

  /** The guest list: invites with the guests' profiles (host only). */
  @Get(':id/guests')
  @Authenticated({ permission: 'party.guests', param: 'id' })
  @ApiPageResponse(GuestListEntryDto)
  @HostOnly()
  guests(
    @IdParam() partyId: string,
    @Query() query: GuestListQueryDto,
    @RequestOrigin() origin: string,
    @Pager() pager: Pager,
  ): Promise<Page<GuestListEntryDto>> {
    return pager.page(query, this.parties.guests(partyId, query, origin));
  }

  /** Users the host can still invite: active, not the host, not invited yet (host only). */
  @Get(':id/invitable')
  @Authenticated({ permission: 'party.guests', param: 'id' })
  @ApiPageResponse(PublicProfileDto)
  @HostOnly()
  invitable(
    @CurrentUser() user: Principal,
    @IdParam() partyId: string,
    @Query() query: InvitableQueryDto,
    @RequestOrigin() origin: string,
    @Pager() pager: Pager,
  ): Promise<Page<PublicProfileDto>> {
    return pager.page(query, this.parties.invitable(user, partyId, query, origin));
  }
}
