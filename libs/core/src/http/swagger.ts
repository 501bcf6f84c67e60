import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI document: bearer tokens and the OAuth2 password flow behind "Authorize". */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Porch API')
    .setDescription(
      'REST API of Porch: accounts, parties, invites, health regions and measurement tasks. ' +
        'Errors are RFC 9457 problem+json; collections use `limit`/`offset` and return ' +
        '`{ count, next, previous, results }`.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'An access token from /api/v1/auth/token',
    })
    .addOAuth2({
      type: 'oauth2',
      description: 'Resource-owner password flow: your email as the username.',
      flows: {
        password: { tokenUrl: '/api/v1/auth/token', refreshUrl: '/api/v1/auth/token', scopes: {} },
      },
    })
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) =>
      `${controller.replace(/Controller$/, '')}_${method}`,
  });
}

export function mountSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Porch API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}
