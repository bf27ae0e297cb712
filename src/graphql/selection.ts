import type {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLResolveInfo,
  SelectionSetNode,
} from 'graphql';

/**
 * Names of the fields selected at `path` below the resolving field (e.g. `edges`, `node`),
 * through fragments and inline fragments, whatever their conditions: the answer says what the
 * operation may read, so a list can fetch it with the page. Directives are ignored: at worst a
 * skipped field is fetched for nothing.
 */
export function selectedFieldNames(info: GraphQLResolveInfo, ...path: string[][]): Set<string> {
  let sets: SelectionSetNode[] = info.fieldNodes.flatMap((node) =>
    node.selectionSet ? [node.selectionSet] : [],
  );
  for (const names of path) {
    sets = sets.flatMap((set) =>
      fieldsOf(set, info.fragments)
        .filter((field) => names.includes(field.name.value))
        .flatMap((field) => (field.selectionSet ? [field.selectionSet] : [])),
    );
  }
  return new Set(sets.flatMap((set) => fieldsOf(set, info.fragments).map((f) => f.name.value)));
}

function fieldsOf(
  set: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): FieldNode[] {
  return set.selections.flatMap((selection): FieldNode[] => {
    if (selection.kind === 'Field') return [selection];
    if (selection.kind === 'InlineFragment')
      return fieldsOf(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    const fragment = fragments[name];
    // Validation rejects fragment cycles; `seen` keeps a walk finite all the same.
    if (!fragment || seen.has(name)) return [];
    seen.add(name);
    return fieldsOf(fragment.selectionSet, fragments, seen);
  });
}
