/**
 * Rows are read with only the columns the selected fields need (schema/columns.ts). Every field
 * of the types read that way must answer the same selected alone as selected with all the others:
 * a field that reads a column it does not declare would answer differently alone.
 */
import {
  type GraphQLField,
  type GraphQLObjectType,
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAdminEmail, seedDemoData } from "../../prisma/seed/index.ts";
import { schema } from "../../schema/index.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
let token: string;

beforeAll(async () => {
  // One page with every field of four types beneath it costs more than a widget would ask for.
  app = await createTestApp({ KAM_MAX_QUERY_COST: "10000000", KAM_QUERY_TIMEOUT_MS: "120000" });
  await seedDemoData(app.db, { asOf: new Date() });
  const admin = await app.db.prisma.user.findUniqueOrThrow({ where: { email: demoAdminEmail } });
  token = await app.tokenFor(admin.id);
}, 120_000);
afterAll(() => app.close());

const typeOf = (name: string) => schema.getType(name) as GraphQLObjectType;

/** A field that can be asked for without arguments. */
function askable(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined);
}

/** The field with its leaves beneath it (and theirs, one level further), as a selection. */
function selection(field: GraphQLField<unknown, unknown>, depth = 1): string {
  const type = getNamedType(field.type);
  if (isLeafType(type)) return field.name;
  if (!isObjectType(type) || depth === 0) return `${field.name} { __typename }`;
  const inner = Object.values(type.getFields())
    .filter(askable)
    .map((child) => (isLeafType(getNamedType(child.type)) ? child.name : selection(child, depth - 1)));
  return `${field.name} { ${inner.join(" ")} }`;
}

function fieldsOf(typeName: string) {
  return Object.values(typeOf(typeName).getFields()).filter(askable);
}

/** A page of accounts, with `inner` selected on each account (`path` leads to the type under test). */
const page = (inner: string) =>
  `{ accounts(first: 50, filter: { includeArchived: true }) { edges { node { id ${inner} } } } }`;

async function answer(query: string) {
  const response = await app.gql(query, {}, token);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data.accounts.edges as { node: Record<string, unknown> }[];
}

/** The values of `pick` on each account's rows, asked for with `inner` selected beside it. */
async function compare(
  wrap: (inner: string) => string,
  pick: (node: Record<string, unknown>) => unknown,
  fields: GraphQLField<unknown, unknown>[],
) {
  const all = await answer(page(wrap(fields.map((field) => selection(field)).join(" "))));
  let compared = 0;
  for (const field of fields) {
    const alone = await answer(page(wrap(selection(field))));
    const expected = all.map((edge) => project(pick(edge.node), field.name));
    expect(
      alone.map((edge) => project(pick(edge.node), field.name)),
      field.name,
    ).toEqual(expected);
    compared += 1;
  }
  return compared;
}

function project(value: unknown, name: string): unknown {
  if (Array.isArray(value)) return value.map((item) => project(item, name));
  if (value === null || typeof value !== "object") return value;
  return (value as Record<string, unknown>)[name];
}

describe("rows read with the selected columns only", () => {
  it("answer each account field alone as with every field", async () => {
    const compared = await compare(
      (inner) => inner,
      (node) => node,
      fieldsOf("Account"),
    );
    expect(compared).toBeGreaterThan(30);
  });

  it("answer each contact, competitor and owner field alone as with every field", async () => {
    for (const [field, type] of [
      ["contacts", "Contact"],
      ["decisionUnit", "Contact"],
      ["competitors", "Competitor"],
      ["owner", "User"],
    ] as const) {
      const fields = fieldsOf(type);
      const compared = await compare(
        (inner) => `${field} { id ${inner} }`,
        (node) => node[field],
        fields,
      );
      expect(compared).toBe(fields.length);
    }
  });
});
