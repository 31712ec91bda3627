import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { GraphQLList, GraphQLNonNull, GraphQLUnionType, getNamedType, isListType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../api/errors.ts";
import { updateSettings } from "../../api/services/settings.ts";
import { schema } from "../../schema/index.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

/**
 * Where a failure names its field, and which fields answer with a union. The rule
 * (CONTRIBUTING.md): services name a field within what they were given, the schema adds the
 * argument; mutations and root lookups of a named record return result unions, every other
 * query fails as a whole with extensions.code.
 */

const servicesDir = path.resolve(import.meta.dirname, "../../api/services");

describe("field paths", () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<TestApp["createUser"]>>;
  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.createUser("ADMIN");
  });
  afterAll(() => app.close());

  it("a service names the field within its input, without the GraphQL argument", async () => {
    const user = await app.db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } });
    const refused = await updateSettings(
      { ...app, principal: { kind: "user", user } },
      { abcCutoffA: 2 },
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues.map((issue) => issue.path)).toEqual(["abcCutoffA"]);
  });

  it("the schema puts the argument in front, in the union member and in a query's error", async () => {
    const mutation = await app.gql(
      `mutation { updateSettings(input: { abcCutoffA: 2 }) { __typename ... on ValidationError { issues { path } } } }`,
      {},
      admin.token,
    );
    expect(mutation.data.updateSettings).toEqual({
      __typename: "ValidationError",
      issues: [{ path: "input.abcCutoffA" }],
    });
    const query = await app.gql(`{ segmentMatrix(settings: { abcCutoffA: 2 }) { total } }`, {}, admin.token);
    expect(query.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
    expect(query.errors?.[0]?.message).toContain("settings.abcCutoffA:");
    expect(query.errors?.[0]?.message).not.toContain("input.");
  });

  it("no service source writes a GraphQL argument into a path", () => {
    const files = readdirSync(servicesDir).filter((file) => file.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(15);
    for (const file of files) {
      const text = readFileSync(path.join(servicesDir, file), "utf8");
      expect(text, file).not.toMatch(/path:\s*[`"'](input|filter|settings)\./);
      expect(text, file).not.toMatch(/parseInput\([^)]*,\s*"input/);
    }
  });
});

describe("which fields answer with a union", () => {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const returnsUnion = (type: unknown) => {
    let unwrapped = type;
    while (unwrapped instanceof GraphQLNonNull) unwrapped = unwrapped.ofType;
    return unwrapped instanceof GraphQLUnionType;
  };

  it("every mutation returns a result union", () => {
    const fields = Object.values(mutation?.getFields() ?? {});
    expect(fields.length).toBeGreaterThan(20);
    for (const field of fields) expect(returnsUnion(field.type), field.name).toBe(true);
  });

  it("a root query returns a union exactly when it looks up a record the caller names", () => {
    const fields = Object.values(query?.getFields() ?? {});
    const relay = new Set(["node", "nodes"]);
    const lookups = fields.filter((field) => {
      const listOrConnection =
        isListType(field.type) ||
        (field.type instanceof GraphQLNonNull && field.type.ofType instanceof GraphQLList) ||
        getNamedType(field.type).name.endsWith("Connection");
      return (
        !relay.has(field.name) &&
        !listOrConnection &&
        field.args.some((arg) => getNamedType(arg.type).name === "ID" || arg.name === "externalId")
      );
    });
    expect(lookups.map((field) => field.name).sort()).toEqual([
      "account",
      "accountByExternalId",
      "exportContactData",
      "keyAccountCandidates",
      "scoreMatrix",
    ]);
    for (const field of fields) {
      expect(returnsUnion(field.type), field.name).toBe(lookups.includes(field));
    }
  });

  it("fields below the root never return a union: they fail with extensions.code", () => {
    for (const type of Object.values(schema.getTypeMap())) {
      if (type === query || type === mutation || type.name.startsWith("__") || !("getFields" in type))
        continue;
      if (type instanceof GraphQLUnionType) continue;
      for (const field of Object.values(
        (type as { getFields(): Record<string, { type: unknown }> }).getFields(),
      )) {
        if (!("args" in field)) continue;
        // A mutation's success type holds the answer under `data`, which is not a union.
        expect(returnsUnion(field.type), `${type.name}.${(field as { name?: string }).name ?? ""}`).toBe(
          false,
        );
      }
    }
  });
});
