import { defineExport, during, ofUsers } from '../export-definition.js';

/** Parties with their host's email; soft-deleted parties (and those of deleted hosts) left out. */
export const partiesExport = defineExport({
  name: 'parties',
  filters: ['userIds', 'since', 'until'],
  columns: {
    id: 'p.id',
    hostId: 'p.host_id',
    hostEmail: 'u.email',
    flat: 'p.flat',
    firstEntry: 'p.first_entry',
    lastEntry: 'p.last_entry',
    vibe: 'p.vibe',
    description: 'p.description',
    postalCode: 'p.postal_code',
    createdAt: 'p.created_at',
    updatedAt: 'p.updated_at',
  },
  from: 'parties p join users u on u.id = p.host_id',
  key: 'p.id',
  where: (f) => [
    'p.deleted_at is null',
    'u.deleted_at is null',
    ofUsers('p.host_id', f),
    ...during('p.first_entry', f),
  ],
});

/** Invites with party and guest; `userIds` filters by guest. */
export const invitesExport = defineExport({
  name: 'invites',
  filters: ['userIds', 'since', 'until'],
  columns: {
    id: 'i.id',
    partyId: 'i.party_id',
    partyFlat: 'p.flat',
    guestId: 'i.guest_id',
    guestEmail: 'g.email',
    status: 'i.status',
    plusOnes: 'i.plus_ones',
    respondedAt: 'i.responded_at',
    createdAt: 'i.created_at',
    updatedAt: 'i.updated_at',
  },
  from: 'invites i join parties p on p.id = i.party_id join users g on g.id = i.guest_id',
  key: 'i.id',
  where: (f) => [
    'p.deleted_at is null',
    'g.deleted_at is null',
    ofUsers('i.guest_id', f),
    ...during('i.created_at', f),
  ],
});
