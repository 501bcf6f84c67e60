import { Invite, Party } from '#porch/parties';
import type { ActionRequest } from 'adminjs';
import type { AdminResourceDefinition } from './resource-definition.js';

const TWELVE_HOURS = 12 * 3600 * 1000;

/** `lastEntry` is derived (a check constraint holds it): recompute it from the form's firstEntry. */
const deriveLastEntry = async (request: ActionRequest): Promise<ActionRequest> => {
  const first = request.payload?.firstEntry;
  if (request.method !== 'post' || typeof first !== 'string' || !first) return request;
  const at = new Date(first);
  if (Number.isNaN(at.getTime())) return request;
  return {
    ...request,
    payload: { ...request.payload, lastEntry: new Date(at.getTime() + TWELVE_HOURS).toISOString() },
  };
};

export const partiesResources: AdminResourceDefinition[] = [
  {
    entity: Party,
    navigation: 'Parties',
    titleProperty: 'flat',
    listProperties: ['flat', 'host', 'firstEntry', 'lastEntry', 'vibe', 'postalCode', 'deletedAt'],
    filterProperties: [
      'id',
      'flat',
      'host',
      'firstEntry',
      'lastEntry',
      'vibe',
      'postalCode',
      'deletedAt',
    ],
    showProperties: [
      'id',
      'flat',
      'host',
      'firstEntry',
      'lastEntry',
      'vibe',
      'description',
      'postalCode',
      'createdAt',
      'updatedAt',
      'deletedAt',
    ],
    editProperties: ['host', 'flat', 'firstEntry', 'vibe', 'description', 'postalCode'],
    sort: { sortBy: 'firstEntry', direction: 'desc' },
    exportName: 'parties',
    options: () => ({
      actions: { new: { before: deriveLastEntry }, edit: { before: deriveLastEntry } },
    }),
  },
  {
    entity: Invite,
    navigation: 'Invites',
    titleProperty: 'id',
    listProperties: ['party', 'guest', 'status', 'plusOnes', 'respondedAt', 'createdAt'],
    filterProperties: ['id', 'party', 'guest', 'status', 'respondedAt', 'createdAt'],
    showProperties: [
      'id',
      'party',
      'guest',
      'status',
      'plusOnes',
      'respondedAt',
      'createdAt',
      'updatedAt',
    ],
    editProperties: ['party', 'guest', 'status', 'plusOnes'],
    sort: { sortBy: 'createdAt', direction: 'desc' },
    exportName: 'invites',
  },
];
