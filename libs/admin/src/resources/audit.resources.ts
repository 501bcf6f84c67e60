import { AuditLog } from '../audit/audit-log.entity.js';
import type { AdminResourceDefinition } from './resource-definition.js';

export const auditResources: AdminResourceDefinition[] = [
  {
    entity: AuditLog,
    navigation: 'Audit',
    titleProperty: 'id',
    readOnly: true,
    listProperties: ['createdAt', 'actorEmail', 'action', 'resource', 'recordId'],
    filterProperties: ['actor', 'actorEmail', 'action', 'resource', 'recordId', 'createdAt'],
    showProperties: [
      'id',
      'createdAt',
      'actor',
      'actorEmail',
      'action',
      'resource',
      'recordId',
      'changes',
    ],
    sort: { sortBy: 'createdAt', direction: 'desc' },
    options: () => ({
      properties: {
        // Read as pretty-printed JSON text (PorchResource serializes json columns).
        changes: {
          type: 'textarea',
          isVisible: { list: false, show: true, edit: false, filter: false },
        },
      },
    }),
  },
];
