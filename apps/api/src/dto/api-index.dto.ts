import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';

/** A collection (or the one resource standing for it) the API serves. */
export class ApiCollectionDto {
  /** The module it belongs to. */
  @ApiProperty({ example: 'invites' })
  module!: string;
  /** Absolute path (under this host) of the collection. */
  @ApiProperty({ example: '/api/v1/invites' })
  href!: string;
  /** Who may read it: `public`, `authenticated` (a bearer token), or `staff`. */
  @ApiProperty({ enum: ['public', 'authenticated', 'staff'], example: 'authenticated' })
  access!: 'public' | 'authenticated' | 'staff';
  @ApiProperty({ example: 'Your invites as a guest (`status`, `include=past`)' })
  description!: string;
}

/** Where things are, each an absolute path under this host. */
export class ApiLinksDto {
  @ApiProperty({ example: '/api/v1' })
  self!: string;
  /** Swagger UI. */
  @ApiProperty({ example: '/docs' })
  docs!: string;
  /** The OpenAPI 3 document. */
  @ApiProperty({ example: '/docs-json' })
  openapi!: string;
  /** OAuth2 token endpoint (password and refresh_token grants). */
  @ApiProperty({ example: '/api/v1/auth/token' })
  token!: string;
  @ApiProperty({ example: '/health/live' })
  live!: string;
  @ApiProperty({ example: '/health/ready' })
  ready!: string;
  /** The admin panel (superusers). */
  @ApiProperty({ example: '/admin' })
  admin!: string;
}

/** `GET /api/v1`: what this API is and where its parts are. */
export class ApiIndexDto {
  @ApiProperty({ example: 'Porch API' })
  name!: string;
  @ApiProperty({ example: '0.1.0' })
  version!: string;
  // @ApiHideProperty keeps the Swagger CLI plugin off class-typed properties (its ESM output for
  // them is an `await import()` in a sync function); @ApiProperty documents them.
  @ApiHideProperty()
  @ApiProperty({ type: () => ApiLinksDto })
  links!: ApiLinksDto;
  @ApiHideProperty()
  @ApiProperty({ type: () => [ApiCollectionDto] })
  collections!: ApiCollectionDto[];
}
