export * from './tasks.module.js';
export * from './tasks-access.js';
export * from './devices/device.entity.js';
export * from './sessions/session.entity.js';
export * from './sessions/sessions.service.js';
export * from './sessions/session-upload.js';
export * from './tasks/operator.js';
export * from './tasks/task.entity.js';
export * from './tasks/tasks.service.js';
export * from './keypresses/keypress.entity.js';
export * from './groups/group.entity.js';
export * from './groups/group-member.entity.js';
export * from './groups/join-code.js';
export * from './groups/groups.service.js';
// The group-consent rule as SQL, for the CSV exports' `groupId`.
export { consentingMember, type GroupAccess } from './groups/groups.repository.js';
// The request DTOs, for the GraphQL API's input types (the same validation as REST).
export * from './tasks/dto/list-tasks-query.dto.js';
export * from './sessions/dto/list-sessions-query.dto.js';
export * from './groups/dto/list-groups-query.dto.js';
export * from './groups/dto/create-group.dto.js';
export * from './groups/dto/join-group.dto.js';
export * from './sessions/session-body.pipe.js';
export * from './groups/dto/add-member.dto.js';
