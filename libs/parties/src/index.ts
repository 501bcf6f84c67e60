export * from './dto/party-response.dto.js';
export * from './parties-hosting-status.js';
export * from './invite.entity.js';
export * from './parties.module.js';
export * from './parties.seeder.js';
export * from './parties.service.js';
export * from './party-access.service.js';
export * from './party.entity.js';
