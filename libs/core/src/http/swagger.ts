import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, problem, type ProblemDetails } from '../errors/problem.js';
import {
  IDEMPOTENCY_RETRY_AFTER_SECONDS,
  IDEMPOTENT_EXTENSION,
  REPLAYED_HEADER,
} from './idempotency/idempotency-key.js';
import { knownPaths, type KnownPath } from './method-not-allowed.js';

/** One example problem per status, as the server sends it, for the document's error responses. */
export const PROBLEM_EXAMPLES: Record<number, ProblemDetails> = {
  400: problem(400, 'email: email must be an email', {
    type: 'https://porch.dev/problems/validation',
    title: 'Validation failed',
    errors: [{ field: 'email', message: 'email must be an email' }],
  }),
  401: problem(401, 'The bearer token is invalid, expired or revoked'),
  403: problem(403, 'Only the host of this party can do this'),
  404: problem(404, 'No such party'),
  409: problem(409, 'Cannot confirm an invite that is canceled', { currentStatus: 'canceled' }),
  413: problem(413, 'The photo is over 2 MiB'),
  415: problem(415, 'Send JSON or multipart/form-data'),
  422: problem(422, 'The party is over: its last entry has passed'),
  429: problem(429, 'Too many requests; try again later'),
  503: problem(503, 'The database is not reachable'),
};

const PROBLEM_SCHEMA = { $ref: '#/components/schemas/ProblemDetails' };

interface DocumentedResponse {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: unknown; example?: unknown }>;
}

/** The optional header and the answers it adds, on a POST or PATCH that takes it. */
const IDEMPOTENCY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe (draft-ietf-httpapi-idempotency-key-header): a unique value per ' +
    'operation (a UUID), 1–255 printable characters, sent again unchanged with every retry of ' +
    'the same request. The first answer (2xx or 4xx) is kept for 24 h and sent again, with ' +
    '`Idempotent-Replayed: true`, to a retry with the same key, method, path and body; keys ' +
    'belong to the caller and the route.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
  example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
};
const IDEMPOTENCY_ANSWERS: Record<number, { description: string; example: ProblemDetails }> = {
  400: {
    description: 'A malformed Idempotency-Key',
    example: problem(
      400,
      'Idempotency-Key must be 1 to 255 printable ASCII characters (optionally in double quotes)',
    ),
  },
  409: {
    description: `The first request with this Idempotency-Key is still running (Retry-After: ${IDEMPOTENCY_RETRY_AFTER_SECONDS})`,
    example: problem(
      409,
      'The first request with this Idempotency-Key is still being processed; retry shortly',
    ),
  },
  422: {
    description: 'This Idempotency-Key was first used with another request (method, path or body)',
    example: problem(
      422,
      'This Idempotency-Key was already used with another request (method, path or body)',
    ),
  },
};

function documentIdempotency(operation: Record<string, unknown>): void {
  const parameters = (operation.parameters ??= []) as unknown[];
  parameters.push(IDEMPOTENCY_PARAMETER);
  const responses = (operation.responses ??= {}) as Record<string, DocumentedResponse>;
  for (const [status, response] of Object.entries(responses))
    if (status.startsWith('2'))
      response.headers = {
        ...response.headers,
        [REPLAYED_HEADER]: {
          description: 'A stored first answer sent again (Idempotency-Key)',
          schema: { type: 'string', enum: ['true'] },
        },
      };
  for (const [status, answer] of Object.entries(IDEMPOTENCY_ANSWERS)) {
    const existing = responses[status];
    if (existing)
      existing.description = `${existing.description ?? ''}; or ${answer.description[0].toLowerCase()}${answer.description.slice(1)}`;
    else
      responses[status] = {
        description: answer.description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_SCHEMA, example: answer.example } },
      };
  }
}

const isProblemSchema = (schema: unknown) =>
  JSON.stringify(schema ?? null).includes('#/components/schemas/ProblemDetails');

/**
 * What the decorators cannot say: every problem response is `application/problem+json` (as
 * `sendProblem` sends it) with the example of its own status, tokens are opaque, and every POST
 * and PATCH route that says `@Idempotent()` documents its Idempotency-Key header.
 */
function finish(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      const responses = (operation as { responses?: Record<string, unknown> }).responses;
      for (const [status, response] of Object.entries(responses ?? {})) {
        const res = response as {
          content?: Record<string, { schema?: unknown; example?: unknown }>;
        };
        // Under any media type the route declares (an image route's `@ApiProduces` too).
        const media = Object.values(res.content ?? {}).find((m) => isProblemSchema(m.schema));
        if (!media) continue;
        const example = PROBLEM_EXAMPLES[Number(status)] ?? problem(Number(status));
        res.content = { [PROBLEM_CONTENT_TYPE]: { schema: media.schema, example } };
      }
      const op = operation as Record<string, unknown>;
      if (op[IDEMPOTENT_EXTENSION]) documentIdempotency(op);
      delete op[IDEMPOTENT_EXTENSION];
    }
  }
  return document;
}

/** The OpenAPI document: bearer tokens and the OAuth2 password flow behind "Authorize". */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Porch API')
    .setDescription(
      'REST API of Porch: accounts, parties, invites, health regions and measurement tasks. ' +
        'Errors are RFC 9457 `application/problem+json`; collections use `limit`/`offset` and ' +
        'return `{ count, next, previous, results }`. `GET /api/v1` lists where things are.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      // Opaque random tokens (stored hashed), not JWTs: clients must not try to decode them.
      bearerFormat: undefined,
      description: 'An opaque access token from /api/v1/auth/token (or /auth/login)',
    })
    .addOAuth2({
      type: 'oauth2',
      description: 'Resource-owner password flow: your email as the username.',
      flows: {
        password: { tokenUrl: '/api/v1/auth/token', refreshUrl: '/api/v1/auth/token', scopes: {} },
      },
    })
    .build();
  return finish(
    SwaggerModule.createDocument(app, config, {
      operationIdFactory: (controller, method) =>
        `${controller.replace(/Controller$/, '')}_${method}`,
    }),
  );
}

const documents = new WeakMap<INestApplication, OpenAPIObject>();
const paths = new WeakMap<INestApplication, KnownPath[]>();

/** The app's document, built once (on first use: it costs a scan of every controller). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  let document = documents.get(app);
  if (!document) documents.set(app, (document = buildOpenApiDocument(app)));
  return document;
}

/** The app's paths and their methods (for 405 answers), from its document. */
export function apiPaths(app: INestApplication): KnownPath[] {
  let known = paths.get(app);
  if (!known) paths.set(app, (known = knownPaths(openApiDocument(app))));
  return known;
}

export function mountSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Porch API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}
