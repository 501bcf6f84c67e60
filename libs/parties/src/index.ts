export * from './dto/party-response.dto.js';
export * from './parties-hosting-status.js';
export * from './invite.entity.js';
export * from './parties.module.js';
export { partyFieldsOf, type PartyRow } from './parties.repository.js';
export * from './parties.seeder.js';
export * from './parties.service.js';
export * from './party-access.service.js';
export * from './party.entity.js';
// The request DTOs, for the GraphQL API's input types (the same validation as REST).
export * from './dto/create-party.dto.js';
export * from './dto/guest-list.dto.js';
export * from './dto/invitable-query.dto.js';
export * from './dto/update-party.dto.js';
export * from './dto/user-parties-query.dto.js';
