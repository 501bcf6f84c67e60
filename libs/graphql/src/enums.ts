import { registerEnumType } from '@nestjs/graphql';
import { Department, Gender } from '#porch/accounts';
import { InviteStatus, PartyWhen, Vibe } from '#porch/parties';

/**
 * The domain's enums as GraphQL enums: names in GraphQL's upper case (`CHECKED_IN`), values
 * the domain's own (`checked_in`), so resolvers pass them to the services unchanged.
 */
function graphqlEnum<V extends string>(values: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.values(values).map((v) => [v.toUpperCase(), v]));
}

export const DepartmentEnum = graphqlEnum(Department);
export const GenderEnum = graphqlEnum(Gender);
export const InviteStatusEnum = graphqlEnum(InviteStatus);
export const VibeEnum = graphqlEnum(Vibe);
export const PartyWhenEnum = graphqlEnum(PartyWhen);

registerEnumType(DepartmentEnum, { name: 'Department' });
registerEnumType(GenderEnum, { name: 'Gender' });
registerEnumType(InviteStatusEnum, { name: 'InviteStatus' });
registerEnumType(VibeEnum, { name: 'Vibe', description: 'How big it gets' });
registerEnumType(PartyWhenEnum, { name: 'PartyWhen' });
