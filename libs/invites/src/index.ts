export * from './dto/invite-response.dto.js';
export * from './invite-events.js';
export * from './invite-transitions.js';
export * from './invites.module.js';
export * from './invites.service.js';
// The entity lives with its party (see libs/parties/src/invite.entity.ts); re-exported here for
// readers who look for it by module.
export { Invite, InviteStatus } from '#porch/parties';
