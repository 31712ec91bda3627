/**
 * Contacts, competitors and people carry no scope check of their own (it would run on every
 * field of every row): whoever reads them has passed a field or type that requires the right to
 * read accounts (or admin) on the way. This walks every path from the roots of the queries and
 * subscriptions and fails on one that reaches them unchecked. (A mutation answers only what its
 * service let the caller write, which takes at least the right to read.)
 */
import {
  type GraphQLField,
  type GraphQLNamedType,
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
} from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../../schema/index.ts";

const unchecked = new Set(["Contact", "Competitor", "User"]);

/** Paths that reach them without a scope, and what checks them instead. */
const checkedOtherwise = new Map([
  ["Query.node", "decodeGlobalID answers nothing for a type the caller may not read"],
  ["Query.nodes", "decodeGlobalID answers nothing for a type the caller may not read"],
  ["Query.viewer.user", "the caller's own record"],
]);

type Scoped = { extensions?: { pothosOptions?: { authScopes?: unknown } } | null };
const hasScopes = (item: Scoped) => Boolean(item.extensions?.pothosOptions?.authScopes);

function possibleTypes(type: GraphQLNamedType): GraphQLNamedType[] {
  if (isUnionType(type) || isInterfaceType(type)) return [...schema.getPossibleTypes(type)];
  return [type];
}

/** Every path from `type` (not yet checked) to an unchecked type, as "Type.field.field…". */
function uncheckedPaths(root: string, fields: Record<string, GraphQLField<unknown, unknown>>): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (path: string, field: GraphQLField<unknown, unknown>) => {
    if (checkedOtherwise.has(path) || hasScopes(field)) return;
    for (const type of possibleTypes(getNamedType(field.type))) {
      if (!isObjectType(type) || hasScopes(type)) continue;
      if (unchecked.has(type.name)) {
        found.push(path);
        continue;
      }
      if (seen.has(type.name)) continue;
      seen.add(type.name);
      for (const child of Object.values(type.getFields())) walk(`${path}.${child.name}`, child);
    }
  };
  for (const field of Object.values(fields)) walk(`${root}.${field.name}`, field);
  return found;
}

describe("reading contacts, competitors and people", () => {
  it("always passes a check of the right to read accounts first", () => {
    const query = schema.getQueryType();
    const subscription = schema.getSubscriptionType();
    expect(query).toBeDefined();
    const paths = [
      ...uncheckedPaths("Query", query?.getFields() ?? {}),
      ...uncheckedPaths("Subscription", subscription?.getFields() ?? {}),
    ];
    expect(paths).toEqual([]);
  });

  it("finds a path that does not", () => {
    // The walk itself: the viewer's user would be such a path if it were not listed.
    const listed = checkedOtherwise.get("Query.viewer.user");
    checkedOtherwise.delete("Query.viewer.user");
    try {
      expect(uncheckedPaths("Query", schema.getQueryType()?.getFields() ?? {})).toEqual([
        "Query.viewer.user",
      ]);
    } finally {
      checkedOtherwise.set("Query.viewer.user", listed as string);
    }
  });
});
