import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionNode } from 'graphql';

/**
 * The selections under a field, by path, per field node of a parsed document: Apollo keeps one
 * parsed document per query text, so every request of a screen brings the same nodes. Keyed on
 * the node, not on `info.fieldNodes` (an array graphql-js makes anew for every request): V8's
 * minor collections keep a long-lived WeakMap's young entries, so a per-request key promoted
 * every request's entries to the old generation, for a full collection to free.
 */
const selectionsOf = new WeakMap<FieldNode, Map<string, Set<string>>>();

/**
 * The names of the fields selected directly under the field being resolved (fragments
 * followed), or under its `path` sub-field (`['host']`). Lets a resolver answer from what its
 * parent already holds when the selection asks for nothing more.
 */
export function selectedFields(info: GraphQLResolveInfo, path: string[] = []): ReadonlySet<string> {
  // One node (the usual case: a field asked for once) is walked once per document; a field
  // merged from several nodes (`a { x } a { y }`) is walked each time.
  const node = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  let byPath = node && selectionsOf.get(node);
  if (node && !byPath) selectionsOf.set(node, (byPath = new Map()));
  const key = path.join('.');
  const known = byPath?.get(key);
  if (known) return known;
  const names = new Set<string>();
  byPath?.set(key, names);
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
  for (const field of info.fieldNodes) visit(field.selectionSet?.selections ?? [], 0);
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
