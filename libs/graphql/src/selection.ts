import { Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';

const selectionsOf = new WeakMap<GraphQLResolveInfo['fieldNodes'], Map<string, Set<string>>>();

/**
 * The names of the fields selected directly under the field being resolved (fragments
 * followed), or under its `path` sub-field (`['host']`). Lets a resolver answer from what its
 * parent already holds when the selection asks for nothing more.
 */
export function selectedFields(info: GraphQLResolveInfo, path: string[] = []): ReadonlySet<string> {
  // Every item of a list is resolved with the same `fieldNodes`: walk them once per request.
  let byPath = selectionsOf.get(info.fieldNodes);
  if (!byPath) selectionsOf.set(info.fieldNodes, (byPath = new Map()));
  const key = path.join('.');
  const known = byPath.get(key);
  if (known) return known;
  const names = new Set<string>();
  byPath.set(key, names);
  const seen = new Set<string>();
  const visit = (selections: readonly SelectionNode[], depth: number): void => {
    for (const s of selections) {
      if (s.kind === Kind.FIELD) {
        if (depth === path.length) names.add(s.name.value);
        else if (s.name.value === path[depth] && s.selectionSet)
          visit(s.selectionSet.selections, depth + 1);
      } else if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet.selections, depth);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const fragment = info.fragments[s.name.value];
        if (fragment) visit(fragment.selectionSet.selections, depth);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet?.selections ?? [], 0);
  return names;
}

/** Whether every field selected (under `path`) is one of `allowed`. */
export function selectsOnly(
  info: GraphQLResolveInfo,
  allowed: ReadonlySet<string>,
  path: string[] = [],
): boolean {
  for (const name of selectedFields(info, path)) if (!allowed.has(name)) return false;
  return true;
}

/** What a user in brief (REST's UserSummaryDto: a party's host, an invite's guest) holds. */
export const USER_SUMMARY_FIELDS: ReadonlySet<string> = new Set([
  '__typename',
  'id',
  'name',
  'photoUrl',
]);
