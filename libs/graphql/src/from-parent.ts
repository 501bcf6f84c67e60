import { Extensions } from '@nestjs/graphql';
import { isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';

const FROM_PARENT = 'porchFromParent';

/** Whether the parent object already holds what this field's selection asks for. */
export type HeldByParent = (parent: Record<string, unknown>, info: GraphQLResolveInfo) => boolean;

/**
 * On a `@ResolveField`: when `held(parent, info)`, the field is answered with the parent's own
 * property of that name, synchronously, as GraphQL's default resolver would; otherwise the
 * resolver runs (a DataLoader, a query). An invite holds its party and guest in brief, a party
 * its host: a list of 100 invites asking for no more than that is then resolved without 300
 * trips through Nest's resolver wrapper and 300 promises, which cost more than the rest of the
 * answer. Field resolvers run no guards or interceptors (Nest's default), so nothing is skipped.
 */
export const FromParent = (held: HeldByParent) => Extensions({ [FROM_PARENT]: held });

/**
 * The schema transform (`transformSchema`) that puts `@FromParent` in front of its field's
 * resolver. It sets `resolve` on the built schema's fields, as graphql-tools' resolver maps do.
 */
export function answerFromParent(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const held = field.extensions?.[FROM_PARENT] as HeldByParent | undefined;
      const resolve = field.resolve;
      if (!held || !resolve) continue;
      const name = field.name;
      field.resolve = (parent: Record<string, unknown>, args, context, info) =>
        held(parent, info) ? parent[name] : resolve(parent, args, context, info);
    }
  }
  return schema;
}
