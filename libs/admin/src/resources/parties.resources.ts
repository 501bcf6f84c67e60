import { InvitesService } from '#porch/invites';
import { Invite, InviteStatus, Party, VIBE_LABELS, Vibe } from '#porch/parties';
import type { ActionRequest } from 'adminjs';
import { serviceActions } from './actions.js';
import type { AdminResourceDefinition, AdminServices } from './resource-definition.js';

const VIBES: Record<string, string> = Object.fromEntries(
  Object.values(Vibe).map((v) => [
    v,
    `${v.charAt(0).toUpperCase()}${v.slice(1)} · ${VIBE_LABELS[v]}`,
  ]),
);

/** "Cancel", through the invites module's state machine (as the host's own cancel). */
function cancelInvite(services: AdminServices) {
  return serviceActions({
    name: 'cancelInvite',
    icon: 'XCircle',
    guard: 'Cancel this invite on behalf of the host?',
    done: 'Invite canceled',
    when: (record) =>
      [InviteStatus.Invited, InviteStatus.Confirmed].includes(record.param('status') as never),
    run: async (_em, entity) => {
      await services.get(InvitesService).cancelOnBehalfOfHost((entity as Invite).id);
    },
  });
}

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

/** The parties list's columns; its filters are these and the id. */
const PARTY_COLUMNS = [
  'flat',
  'host',
  'firstEntry',
  'lastEntry',
  'vibe',
  'postalCode',
  'deletedAt',
];

export const partiesResources: AdminResourceDefinition[] = [
  {
    entity: Party,
    navigation: 'Parties',
    label: 'Parties',
    titleProperty: 'flat',
    searchFields: ['flat', 'host.name', 'host.email', 'postalCode', 'description'],
    choices: { vibe: VIBES },
    derived: ['lastEntry'],
    inlines: [{ name: 'invites', resource: 'Invite', foreignKey: 'party' }],
    listProperties: PARTY_COLUMNS,
    filterProperties: ['id', ...PARTY_COLUMNS],
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
    adapter: () => ({
      constraints: {
        parties_host_no_overlap: {
          property: 'firstEntry',
          message: 'The host already has a party at that time (parties last 12 hours).',
        },
        parties_postal_code_format: {
          property: 'postalCode',
          message: 'Enter a Canadian postal code (A1A 1A1) or its first three characters (A1A).',
        },
      },
    }),
    options: () => ({
      actions: { new: { before: deriveLastEntry }, edit: { before: deriveLastEntry } },
    }),
  },
  {
    entity: Invite,
    navigation: 'Invites',
    label: 'Invites',
    titleProperty: (i) => `${(i as Invite).guest.name} → ${(i as Invite).party.flat}`,
    populate: ['guest', 'party'],
    sortTitle: 'createdAt',
    searchFields: ['guest.name', 'guest.email', 'party.flat'],
    listProperties: ['party', 'guest', 'status', 'plusOnes', 'respondedAt', 'createdAt'],
    filterProperties: ['id', 'party', 'guest', 'status', 'plusOnes', 'respondedAt', 'createdAt'],
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
    adapter: () => ({
      constraints: {
        invites_party_guest_unique: {
          property: 'guest',
          message: 'This guest is already invited to this party.',
        },
        invites_plus_ones_range: { property: 'plusOnes', message: 'Plus-ones go from 0 to 5.' },
      },
    }),
    options: (services) => {
      const cancel = cancelInvite(services);
      return { actions: { cancelInvite: cancel.record, bulkCancelInvite: cancel.bulk } };
    },
  },
];
