import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { API_PREFIX, Public } from '#porch/core';
import { ApiCollectionDto, ApiIndexDto } from './dto/api-index.dto.js';
import { PORCH_VERSION } from './version.js';

const api = (path: string) => `/${API_PREFIX}${path}`;

/** Each module's collections: where a client (or a person with curl) starts. */
const COLLECTIONS: ApiCollectionDto[] = [
  {
    module: 'accounts',
    href: api('/users/me'),
    access: 'authenticated',
    description: 'Your own profile (PATCH to change it, PUT /users/me/photo for a photo)',
  },
  {
    module: 'accounts',
    href: api('/users'),
    access: 'authenticated',
    description: 'Active users, searched by name or email (`search`, `department`)',
  },
  {
    module: 'parties',
    href: api('/users/me/parties'),
    access: 'authenticated',
    description: 'The parties you host (`when=upcoming|past|all`); POST /parties hosts one',
  },
  {
    module: 'invites',
    href: api('/invites'),
    access: 'authenticated',
    description: 'Your invites as a guest (`status`, `include=past`); POST invites a guest',
  },
  {
    module: 'health-regions',
    href: api('/health-regions'),
    access: 'public',
    description: 'Health regions (`province`, `search`); /fsa/{code} looks up a postal code',
  },
  {
    module: 'health-regions',
    href: api('/provinces'),
    access: 'public',
    description: 'The 13 provinces and territories',
  },
  {
    module: 'tasks',
    href: api('/sessions'),
    access: 'authenticated',
    description: 'Your measurement sessions; POST uploads one with its tasks',
  },
  {
    module: 'tasks',
    href: api('/tasks'),
    access: 'authenticated',
    description: 'Your tasks (`since`, `operator`); /tasks/stats summarizes them',
  },
  {
    module: 'tasks',
    href: api('/groups'),
    access: 'authenticated',
    description: 'Groups you own or belong to',
  },
  {
    module: 'exports',
    href: api('/exports/users.csv'),
    access: 'staff',
    description: 'CSV exports, one per resource: /exports/{resource}.csv',
  },
];

const INDEX: ApiIndexDto = {
  name: 'Porch API',
  version: PORCH_VERSION,
  links: {
    self: api(''),
    docs: '/docs',
    openapi: '/docs-json',
    token: api('/auth/token'),
    live: '/health/live',
    ready: '/health/ready',
    admin: '/admin',
  },
  collections: COLLECTIONS,
};

@ApiTags('index')
@Public()
@Controller()
export class ApiIndexController {
  /** The API's index: links to its documentation, health checks and each module's collections */
  @Get()
  @ApiOkResponse({ type: ApiIndexDto })
  index(): ApiIndexDto {
    return INDEX;
  }
}
