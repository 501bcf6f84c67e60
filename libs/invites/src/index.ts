export * from './dto/invite-response.dto.js';
export * from './invite-access.js';
export * from './invite-events.js';
export * from './invite-transitions.js';
export * from './invites.module.js';
export * from './invites.service.js';
// The entity lives with its party (see libs/parties/src/invite.entity.ts); re-exported here for
// readers who look for it by module.
export { Invite, InviteStatus } from '#porch/parties';
// The request DTOs, for the GraphQL API's input types (the same validation as REST).
export * from './dto/create-invite.dto.js';
export * from './dto/invite-query.dto.js';
export * from './dto/update-invite.dto.js';
