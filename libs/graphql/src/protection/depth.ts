import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * How deeply an operation nests its selections, fragments expanded: `{ me { id } }` is 2.
 * Introspection fields (`__schema`, `__type`, `__typename`) are not counted: the explorer's
 * introspection query nests type references a dozen deep, and introspection has a switch of its
 * own (GRAPHQL_INTROSPECTION). Stops counting past `stopAt`, so a huge document costs no more
 * than the limit it is checked against.
 */
export function operationDepth(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  stopAt = Number.MAX_SAFE_INTEGER,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);

  const depthOf = (set: SelectionSetNode, depth: number, seen: ReadonlySet<string>): number => {
    let deepest = depth;
    for (const selection of set.selections) {
      if (deepest > stopAt) break;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        deepest = Math.max(
          deepest,
          selection.selectionSet ? depthOf(selection.selectionSet, depth + 1, seen) : depth + 1,
        );
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, depth, seen));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Validation refuses unknown and cyclic fragments; `seen` only keeps this walk finite.
        if (!fragment || seen.has(name)) continue;
        deepest = Math.max(
          deepest,
          depthOf(fragment.selectionSet, depth, new Set([...seen, name])),
        );
      }
    }
    return deepest;
  };
  return depthOf(operation.selectionSet, 0, new Set());
}
