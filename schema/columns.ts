/**
 * Only the columns a request shows: the rows of a page are read with the columns the fields
 * selected beneath it need, not every column of the model (reading and converting a value costs
 * more than finding its row). A field reads the column it exposes, or a column of its own name,
 * or the columns it declares with `readsColumns`; a type names the columns it always needs.
 */
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  getNamedType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from "graphql";
import { type ModelName, modelColumnNames } from "../api/db/model-rows.ts";

/** Extensions of a field that reads columns other than the one it is named after. */
export function readsColumns(...columns: string[]) {
  return { extensions: { readsColumns: columns } };
}

const chosen = new WeakMap<readonly FieldNode[], Map<string, readonly string[]>>();

/**
 * The columns of `model` the fields selected under the current field (under `path` within it:
 * `["edges", "node"]` for a connection) read, with `always` first; in the model's order, so the
 * same selection always gives the same list (and statement).
 */
export function selectedColumns(
  info: GraphQLResolveInfo,
  model: ModelName,
  always: readonly string[],
  path: readonly string[] = [],
): readonly string[] {
  let byModel = chosen.get(info.fieldNodes);
  if (!byModel) {
    byModel = new Map();
    chosen.set(info.fieldNodes, byModel);
  }
  const key = `${model}:${path.join(".")}`;
  let columns = byModel.get(key);
  if (!columns) {
    columns = columnsOf(info, model, always, path);
    byModel.set(key, columns);
  }
  return columns;
}

function columnsOf(
  info: GraphQLResolveInfo,
  model: ModelName,
  always: readonly string[],
  path: readonly string[],
): readonly string[] {
  const known = modelColumnNames(model);
  const wanted = new Set(always);
  let type: GraphQLNamedType = getNamedType(info.returnType);
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const step of path) {
    if (!isObjectType(type)) return known;
    const field: GraphQLField<unknown, unknown> | undefined = type.getFields()[step];
    if (!field) return known;
    sets = fieldsNamed(sets, step, info.fragments).flatMap((node) =>
      node.selectionSet ? [node.selectionSet] : [],
    );
    type = getNamedType(field.type);
  }
  if (!isObjectType(type)) return known;
  const fields = type.getFields();
  for (const node of allFields(sets, info.fragments)) {
    const field = fields[node.name.value];
    if (!field) continue;
    const extensions = field.extensions as { readsColumns?: string[]; pothosExposedField?: string };
    if (extensions.readsColumns) for (const column of extensions.readsColumns) wanted.add(column);
    else wanted.add(extensions.pothosExposedField ?? field.name);
  }
  return known.filter((column) => wanted.has(column));
}

/** Every field node of the selection sets, through fragments (whatever their type condition). */
function allFields(
  sets: readonly SelectionSetNode[],
  fragments: Record<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): FieldNode[] {
  const found: FieldNode[] = [];
  for (const set of sets) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) found.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT)
        found.push(...allFields([selection.selectionSet], fragments, seen));
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments[selection.name.value];
        if (fragment) found.push(...allFields([fragment.selectionSet], fragments, seen));
      }
    }
  }
  return found;
}

function fieldsNamed(
  sets: readonly SelectionSetNode[],
  name: string,
  fragments: Record<string, FragmentDefinitionNode>,
): FieldNode[] {
  return allFields(sets, fragments).filter((node) => node.name.value === name);
}
