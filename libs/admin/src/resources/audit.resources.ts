import { AuditLog } from '../audit/audit-log.entity.js';
import type { AdminResourceDefinition } from './resource-definition.js';

export const auditResources: AdminResourceDefinition[] = [
  {
    entity: AuditLog,
    navigation: 'Audit',
    label: 'Audit log',
    titleProperty: (e) =>
      `${(e as AuditLog).action} ${(e as AuditLog).resource} ${(e as AuditLog).recordId}`,
    sortTitle: 'createdAt',
    searchFields: ['actorEmail', 'resource', 'recordId'],
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
