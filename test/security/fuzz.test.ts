import fc from "fast-check";
import {
  type GraphQLArgument,
  GraphQLEnumType,
  type GraphQLField,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLList,
  type GraphQLScalarType,
  getNamedType,
  getNullableType,
  isCompositeType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../schema/index.ts";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

/**
 * Random documents, variables and headers thrown at the API, anonymous and authenticated, read
 * and write: no answer is an internal error or a 5xx, and no row changes. Operations are built
 * from the schema's own fields with hostile argument values; raw strings are thrown too.
 */

const runs = Number(process.env.KAM_FUZZ_RUNS ?? 200);

/** Hostile text: wildcards, quotes, SQL-ish, unicode, huge, empty. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("%", "_", '\'; DROP TABLE "Account"; --', "\\", "\ud83d\ude00", "   ", "", "QWNjb3VudDp4"),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.integer({ min: 0, max: 5 }).map((size) => "x".repeat(10 ** size)),
);
const nastyId = fc.oneof(
  nastyString,
  fc
    .constantFrom("Account", "Contact", "User", "ApiKey", "AuditEntry", "CriteriaSet", "Nope")
    .chain((typename) => nastyString.map((id) => globalId(typename, id))),
);
const nastyInt = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 2_147_483_647, -2_147_483_648, 101, 1_000_000),
);
const nastyFloat = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0.0001, 1e12, 1e13, 0.999999, -1),
);

function literal(value: unknown): string {
  return JSON.stringify(value).replace(/\u2028|\u2029/g, "");
}

/** A GraphQL literal for an input type, recursing into lists and input objects. */
function valueFor(type: GraphQLInputType, depth: number): fc.Arbitrary<string> {
  const inner = getNullableType(type) as GraphQLInputType;
  if (inner instanceof GraphQLList) {
    return fc
      .array(valueFor(inner.ofType as GraphQLInputType, depth + 1), { maxLength: depth > 2 ? 1 : 3 })
      .map((items) => `[${items.join(", ")}]`);
  }
  if (inner instanceof GraphQLEnumType) {
    return fc.oneof(
      fc.constantFrom(...inner.getValues().map((value) => value.name)),
      fc.constant("NOT_A_VALUE"),
    );
  }
  if (inner instanceof GraphQLInputObjectType) {
    if (depth > 3) return fc.constant("{}");
    const fields = Object.values(inner.getFields());
    return fc
      .subarray(fields, { minLength: 0 })
      .chain((chosen) =>
        chosen.length === 0
          ? fc.constant("{}")
          : fc
              .tuple(
                ...chosen.map((field) =>
                  valueFor(field.type, depth + 1).map((value) => `${field.name}: ${value}`),
                ),
              )
              .map((pairs) => `{ ${pairs.join(", ")} }`),
      );
  }
  const scalar = inner as GraphQLScalarType;
  switch (scalar.name) {
    case "Int":
      return nastyInt.map(String);
    case "Float":
    case "Decimal":
      return nastyFloat.map((value) => String(value));
    case "Boolean":
      return fc.boolean().map(String);
    case "ID":
      return nastyId.map(literal);
    case "DateTime":
      return fc.oneof(
        fc.date({ noInvalidDate: true }).map((date) => literal(date.toISOString())),
        nastyString.map(literal),
      );
    default:
      return nastyString.map(literal);
  }
}

/** One root field with hostile arguments and a minimal selection. */
function fieldCall(field: GraphQLField<unknown, unknown>): fc.Arbitrary<string> {
  const selection = isCompositeType(getNamedType(field.type)) ? " { __typename }" : "";
  const args = field.args as readonly GraphQLArgument[];
  if (args.length === 0) return fc.constant(`${field.name}${selection}`);
  return fc
    .subarray([...args], { minLength: 0 })
    .chain((chosen) =>
      chosen.length === 0
        ? fc.constant(`${field.name}${selection}`)
        : fc
            .tuple(...chosen.map((arg) => valueFor(arg.type, 0).map((value) => `${arg.name}: ${value}`)))
            .map((pairs) => `${field.name}(${pairs.join(", ")})${selection}`),
    );
}

const queryFields = Object.values(schema.getQueryType()?.getFields() ?? {});
const mutationFields = Object.values(schema.getMutationType()?.getFields() ?? {});
const operation = (kind: "query" | "mutation", fields: GraphQLField<unknown, unknown>[]) =>
  fc
    .array(
      fc.constantFrom(...fields).chain((field) => fieldCall(field)),
      { minLength: 1, maxLength: 3 },
    )
    .map((calls) => `${kind} { ${calls.map((call, index) => `f${index}: ${call}`).join(" ")} }`);

describe("fuzzing the API", () => {
  let app: TestApp;
  let tokens: Record<string, string | null>;

  beforeAll(async () => {
    app = await createTestApp();
    const admin = await app.createUser("ADMIN");
    const manager = await app.createUser("MANAGER");
    tokens = {
      anonymous: null,
      viewer: (await app.createUser("VIEWER")).token,
      "read key": (await app.createKey(["read"])).secret,
      admin: admin.token,
      manager: manager.token,
    };
    // Something to find: an account with a contact and personal facts.
    const account = await app.db.prisma.account.create({
      data: { name: "Fuzz SA", sortName: "fuzz sa", ownerId: manager.id },
    });
    await app.db.prisma.contact.create({
      data: {
        accountId: account.id,
        name: "Ana Fuzz",
        decisionRole: "USER",
        influence: 2,
        attitude: "NEUTRAL",
      },
    });
  });
  afterAll(() => app.close());

  /** Every row of every table but the personal-data read log (reads are logged by design). */
  async function snapshot() {
    const prisma = app.db.prisma as unknown as Record<string, { count(): Promise<number> }>;
    const models = [
      "account",
      "contact",
      "contactPersonalFacts",
      "accountEvent",
      "competitor",
      "salesLine",
      "accountMonthlySales",
      "savedSegment",
      "setting",
      "score",
      "scoreChange",
      "criteriaSet",
      "scoringCriterion",
      "user",
      "apiKey",
      "auditEntry",
      "winBackAction",
    ];
    return Object.fromEntries(
      await Promise.all(models.map(async (model) => [model, await prisma[model]!.count()])),
    );
  }

  async function send(body: string, headers: Record<string, string>) {
    const response = await app.yoga.fetch("http://kam.test/graphql", { method: "POST", headers, body });
    const text = await response.text();
    return { status: response.status, text };
  }

  function expectNoInternalError(answer: { status: number; text: string }, context: string) {
    expect(answer.status, context).toBeLessThan(500);
    expect(answer.text, context).not.toContain("INTERNAL_SERVER_ERROR");
    expect(answer.text, context).not.toContain("Unexpected error");
  }

  const headersFor = (token: string | null) => ({
    "content-type": "application/json",
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });

  it("answers random reads from the schema without an internal error, changing nothing", async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        operation("query", queryFields),
        fc.constantFrom(...Object.keys(tokens)),
        async (query, who) => {
          const answer = await send(JSON.stringify({ query }), headersFor(tokens[who] ?? null));
          expectNoInternalError(answer, `${who}: ${query.slice(0, 300)}`);
        },
      ),
      { numRuns: runs },
    );
    expect(await snapshot()).toEqual(before);
  });

  it("answers random writes from callers without rights, changing nothing", async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        operation("mutation", mutationFields),
        fc.constantFrom("anonymous", "viewer", "read key"),
        async (query, who) => {
          const answer = await send(JSON.stringify({ query }), headersFor(tokens[who] ?? null));
          expectNoInternalError(answer, `${who}: ${query.slice(0, 300)}`);
        },
      ),
      { numRuns: runs },
    );
    expect(await snapshot()).toEqual(before);
  });

  it("answers random bytes, variables and headers without an internal error", async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.json(),
          fc.constant('{"query": "{ viewer { id } }", "variables": []}'),
        ),
        fc.record({
          "content-type": fc.constantFrom(
            "application/json",
            "application/graphql-response+json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "",
          ),
          authorization: fc.oneof(
            fc.constant(`Bearer ${tokens.viewer}`),
            fc.constant(`Bearer ${tokens["read key"]}`),
            fc.string({ maxLength: 60 }).map((text) => `Bearer ${text}`),
            fc.string({ maxLength: 60 }),
          ),
          accept: fc.constantFrom(
            "application/json",
            "text/event-stream",
            "*/*",
            "application/graphql-response+json",
          ),
        }),
        async (body, headers) => {
          const clean = Object.fromEntries(
            Object.entries(headers).filter(([, value]) => value !== "" && /^[\t\x20-\x7e]*$/.test(value)),
          );
          const answer = await send(body, clean);
          expectNoInternalError(answer, `${JSON.stringify(clean)} ${body.slice(0, 200)}`);
        },
      ),
      { numRuns: runs },
    );
    expect(await snapshot()).toEqual(before);
  });
});
