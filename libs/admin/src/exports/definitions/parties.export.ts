import { byKey, defineExport, during, ofUsers } from '../export-definition.js';

/** Parties with their host's email; soft-deleted parties (and those of deleted hosts) left out. */
export const partiesExport = defineExport({
  name: 'parties',
  filters: ['userIds', 'since', 'until'],
  columns: [
    'id',
    'hostId',
    'hostEmail',
    'flat',
    'firstEntry',
    'lastEntry',
    'vibe',
    'description',
    'postalCode',
    'createdAt',
    'updatedAt',
  ],
  sql: (f) =>
    byKey(
      `select p.id, p.host_id as "hostId", u.email as "hostEmail", p.flat, p.first_entry as "firstEntry",
              p.last_entry as "lastEntry", p.vibe, p.description, p.postal_code as "postalCode",
              p.created_at as "createdAt", p.updated_at as "updatedAt"
         from parties p join users u on u.id = p.host_id`,
      'p.id',
      f,
      [
        'p.deleted_at is null',
        'u.deleted_at is null',
        ofUsers('p.host_id', f),
        ...during('p.first_entry', f),
      ],
    ),
});

/** Invites with party and guest; `userIds` filters by guest. */
export const invitesExport = defineExport({
  name: 'invites',
  filters: ['userIds', 'since', 'until'],
  columns: [
    'id',
    'partyId',
    'partyFlat',
    'guestId',
    'guestEmail',
    'status',
    'plusOnes',
    'respondedAt',
    'createdAt',
    'updatedAt',
  ],
  sql: (f) =>
    byKey(
      `select i.id, i.party_id as "partyId", p.flat as "partyFlat", i.guest_id as "guestId",
              g.email as "guestEmail", i.status, i.plus_ones as "plusOnes", i.responded_at as "respondedAt",
              i.created_at as "createdAt", i.updated_at as "updatedAt"
         from invites i join parties p on p.id = i.party_id join users g on g.id = i.guest_id`,
      'i.id',
      f,
      [
        'p.deleted_at is null',
        'g.deleted_at is null',
        ofUsers('i.guest_id', f),
        ...during('i.created_at', f),
      ],
    ),
});
