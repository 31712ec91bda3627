import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

/**
 * Bad input gets a clear, typed error and changes nothing: every case below also checks that the
 * Account and AuditEntry tables (and, for updates, the account row and its team) are as before.
 */

type User = Awaited<ReturnType<TestApp["createUser"]>>;

let app: TestApp;
let admin: User;
let manager: User;
let otherManager: User;
let viewer: User;
/** The account the update cases try to change: owned by `manager`, `otherManager` on its team. */
let target: { id: string; dbId: string };

const createMutation = `mutation($input: CreateAccountInput!) {
  createAccount(input: $input) {
    __typename
    ... on MutationCreateAccountSuccess { data { id } }
    ... on Error { message code }
    ... on ValidationError { issues { path message } }
    ... on NotFoundError { entity }
    ... on InvalidIdError { value expected }
    ... on AlreadyExistsError { field value }
  }
}`;

const updateMutation = `mutation($input: UpdateAccountInput!) {
  updateAccount(input: $input) {
    __typename
    ... on MutationUpdateAccountSuccess { data { id version } }
    ... on Error { message code }
    ... on ValidationError { issues { path message } }
    ... on NotFoundError { entity }
    ... on InvalidIdError { value expected }
    ... on AlreadyExistsError { field value }
  }
}`;

const accountQuery = `query($id: ID!) {
  account(id: $id) {
    __typename
    ... on Account { name }
    ... on Error { message code }
    ... on NotFoundError { entity }
    ... on InvalidIdError { value expected }
  }
}`;

async function counts() {
  const [accounts, auditEntries] = await Promise.all([
    app.db.prisma.account.count(),
    app.db.prisma.auditEntry.count(),
  ]);
  return { accounts, auditEntries };
}

/** Runs `action` and asserts that no account and no audit entry was added or removed. */
async function unchanged<T>(action: () => Promise<T>): Promise<T> {
  const before = await counts();
  const result = await action();
  expect(await counts()).toEqual(before);
  return result;
}

function targetRow() {
  return app.db.prisma.account.findUniqueOrThrow({
    where: { id: target.dbId },
    include: { team: { select: { userId: true }, orderBy: { userId: "asc" } } },
  });
}

/** Like `unchanged`, and the target account's fields, version and team are as before too. */
async function targetUnchanged<T>(action: () => Promise<T>): Promise<T> {
  const before = await targetRow();
  const result = await unchanged(action);
  expect(await targetRow()).toEqual(before);
  return result;
}

async function createAccount(input: Record<string, unknown>, token = admin.token) {
  const response = await app.gql(createMutation, { input }, token);
  expect(response.errors).toBeUndefined();
  return response.data.createAccount;
}

async function updateTarget(fields: Record<string, unknown>, token = admin.token) {
  const response = await app.gql(updateMutation, { input: { id: target.id, version: 1, ...fields } }, token);
  expect(response.errors).toBeUndefined();
  return response.data.updateAccount;
}

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.createUser("ADMIN", "Ada");
  manager = await app.createUser("MANAGER", "Manon");
  otherManager = await app.createUser("MANAGER", "Oleg");
  viewer = await app.createUser("VIEWER", "Vera");
  const created = await createAccount({
    name: "Target Industries",
    externalId: "TARGET-1",
    country: "FR",
    website: "https://target.example",
    status: "ACTIVE",
    ownerId: globalId("User", manager.id),
    teamMemberIds: [globalId("User", otherManager.id)],
  });
  expect(created.__typename).toBe("MutationCreateAccountSuccess");
  const dbId = Buffer.from(created.data.id, "base64")
    .toString()
    .replace(/^Account:/, "");
  target = { id: created.data.id, dbId };
  const taken = await createAccount({ name: "Taken Ltd", externalId: "TAKEN-1" });
  expect(taken.__typename).toBe("MutationCreateAccountSuccess");
});
afterAll(() => app.close());

describe("operations GraphQL cannot run", () => {
  it("answers a syntax error with HTTP 400 and a message, and runs nothing", async () => {
    const broken = `mutation { createAccount(input: { name: "Half written" }) { __typename `;
    const response = await unchanged(async () =>
      app.yoga.fetch("http://kam.test/graphql", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json",
          authorization: `Bearer ${admin.token}`,
        },
        body: JSON.stringify({ query: broken }),
      }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, any>;
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].message).toMatch(/^Syntax Error: /);
    expect(body.errors[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");

    // Clients that only accept application/json get the same error (yoga keeps HTTP 200 for them).
    const legacy = await unchanged(() => app.gql(broken, undefined, admin.token));
    expect(legacy.data).toBeUndefined();
    expect(legacy.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("rejects a selection of an unknown field before running anything", async () => {
    const response = await unchanged(() =>
      app.gql(
        `mutation { createAccount(input: { name: "Ghost" }) { __typename ... on MutationCreateAccountSuccess { data { id colour } } } }`,
        undefined,
        admin.token,
      ),
    );
    expect(response.data).toBeUndefined();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.message).toBe('Cannot query field "colour" on type "Account".');
    expect(response.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(await app.db.prisma.account.count({ where: { name: "Ghost" } })).toBe(0);
  });

  it("rejects an unknown input field", async () => {
    const response = await unchanged(() =>
      app.gql(
        `mutation { createAccount(input: { name: "Ghost", colour: "red" }) { __typename } }`,
        undefined,
        admin.token,
      ),
    );
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/"colour" is not defined by type "CreateAccountInput"/);
    expect(response.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it.each([
    [
      "version",
      "two",
      /Variable "\$input" got invalid value "two" at "input\.version"; Int cannot represent/,
    ],
    ["status", "SLEEPING", /Value "SLEEPING" does not exist in "AccountStatus" enum/],
    ["name", 42, /String cannot represent a non string value: 42/],
  ])("rejects a variable of the wrong type (%s: %j) and changes nothing", async (field, value, message) => {
    const response = await targetUnchanged(() =>
      app.gql(updateMutation, { input: { id: target.id, version: 1, [field]: value } }, admin.token),
    );
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.message).toMatch(message);
  });

  it("rejects a non-integer page size", async () => {
    const response = await unchanged(() =>
      app.gql(`query($first: Int) { accounts(first: $first) { totalCount } }`, { first: "x" }, admin.token),
    );
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/Variable "\$first" got invalid value "x"/);
  });

  it("rejects a required variable that is missing", async () => {
    const response = await targetUnchanged(() =>
      app.gql(updateMutation, { input: { id: target.id, name: "No version" } }, admin.token),
    );
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/Field "version" of required type "Int!" was not provided/);
  });
});

describe("reading by ID", () => {
  it("says NOT_FOUND for a well-formed Account ID that names nothing", async () => {
    const id = globalId("Account", "cm0000000000000000nothing");
    const response = await unchanged(() => app.gql(accountQuery, { id }, admin.token));
    expect(response.errors).toBeUndefined();
    expect(response.data.account).toMatchObject({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      entity: "Account",
    });
    expect(response.data.account.message).toContain(id);
  });

  it.each(["not-an-id", "!!!", ""])("says INVALID_ID for the malformed ID %j", async (id) => {
    const response = await unchanged(() => app.gql(accountQuery, { id }, admin.token));
    expect(response.errors).toBeUndefined();
    expect(response.data.account).toEqual({
      __typename: "InvalidIdError",
      code: "INVALID_ID",
      message: `"${id}" is not a valid Account ID.`,
      value: id,
      expected: "Account",
    });
  });

  it("says INVALID_ID for the global ID of a User", async () => {
    const id = globalId("User", manager.id);
    const response = await unchanged(() => app.gql(accountQuery, { id }, admin.token));
    expect(response.data.account).toMatchObject({
      __typename: "InvalidIdError",
      code: "INVALID_ID",
      value: id,
      expected: "Account",
    });
  });

  it.each(["not-an-id", "!!!"])(
    "node(id: %j) fails with extensions.code INVALID_ID, not a masked error",
    async (id) => {
      const response = await unchanged(() =>
        app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, admin.token),
      );
      expect(response.data).toEqual({ node: null });
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]?.extensions?.code).toBe("INVALID_ID");
      expect(response.errors?.[0]?.message).toBe(`"${id}" is not a valid global ID.`);
      expect(response.errors?.[0]?.path).toEqual(["node"]);
    },
  );

  it("node(id) with a well-formed ID that names nothing is null, not an error", async () => {
    // The node field is nullable and Relay defines null as the answer for an unknown ID.
    const response = await unchanged(() =>
      app.gql(
        `query($id: ID!) { node(id: $id) { id } }`,
        { id: globalId("Account", "cm0000000000000000nothing") },
        admin.token,
      ),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ node: null });
  });

  it("nodes(ids) with one malformed ID fails with INVALID_ID", async () => {
    const response = await unchanged(() =>
      app.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [target.id, "!!!"] }, admin.token),
    );
    expect(response.errors?.[0]?.extensions?.code).toBe("INVALID_ID");
    expect(response.errors?.[0]?.message).toBe('"!!!" is not a valid global ID.');
  });

  it.each([
    ["garbage", "garbage"],
    ["the global ID of an Account", "account"],
  ])("accounts(filter: { ownerId }) with %s fails with INVALID_ID", async (_label, kind) => {
    const ownerId = kind === "account" ? target.id : kind;
    const response = await unchanged(() =>
      app.gql(
        `query($filter: AccountFilter) { accounts(filter: $filter) { totalCount edges { node { id } } } }`,
        { filter: { ownerId } },
        admin.token,
      ),
    );
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe("INVALID_ID");
    expect(response.errors?.[0]?.message).toBe(`"${ownerId}" is not a valid User ID.`);
  });

  it("a cursor that was never issued gets a clear error, not a masked one", async () => {
    const response = await unchanged(() =>
      app.gql(
        `query($after: String) { accounts(after: $after) { totalCount } }`,
        { after: "garbage" },
        admin.token,
      ),
    );
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.message).toBe("Invalid cursor: garbage");
  });

  it("a negative page size gets a clear error", async () => {
    const response = await unchanged(() =>
      app.gql(`query { accounts(first: -1) { totalCount } }`, undefined, admin.token),
    );
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.message).toBe('Argument "first" must be a non-negative integer');
  });
});

describe("createAccount with bad input", () => {
  it.each([
    ["an empty name", { name: "" }, [{ path: "input.name", message: "must not be empty" }]],
    ["a blank name", { name: "   " }, [{ path: "input.name", message: "must not be empty" }]],
    [
      "a 201-character name",
      { name: "x".repeat(201) },
      [{ path: "input.name", message: "must be at most 200 characters" }],
    ],
    [
      'country "France"',
      { name: "Bad country", country: "France" },
      [{ path: "input.country", message: "must be a two-letter ISO 3166-1 country code such as FR" }],
    ],
    [
      'website "not a url"',
      { name: "Bad website", website: "not a url" },
      [{ path: "input.website", message: "must be an http(s) URL such as https://example.com" }],
    ],
    [
      'website "ftp://x.example"',
      { name: "FTP website", website: "ftp://x.example" },
      [{ path: "input.website", message: "must be an http(s) URL such as https://example.com" }],
    ],
    [
      "a 101-character external ID",
      { name: "Long ERP ID", externalId: "E".repeat(101) },
      [{ path: "input.externalId", message: "must be at most 100 characters" }],
    ],
  ])("rejects %s with a ValidationError naming the field", async (_label, input, issues) => {
    const result = await unchanged(() => createAccount(input));
    expect(result).toMatchObject({ __typename: "ValidationError", code: "VALIDATION_FAILED" });
    expect(result.issues).toEqual(issues);
    expect(result.message).toContain(issues[0]!.path);
  });

  it("lists every bad field at once", async () => {
    const result = await unchanged(() =>
      createAccount({ name: "", country: "France", website: "ftp://x.example", region: "R".repeat(101) }),
    );
    expect(result.__typename).toBe("ValidationError");
    expect(result.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
      "input.country",
      "input.name",
      "input.region",
      "input.website",
    ]);
  });

  it("refuses a viewer as owner, on input.ownerId", async () => {
    const result = await unchanged(() =>
      createAccount({ name: "Viewer owned", ownerId: globalId("User", viewer.id) }),
    );
    expect(result).toEqual({
      __typename: "ValidationError",
      code: "VALIDATION_FAILED",
      message: "Invalid input: input.ownerId: the owner must be a manager or an admin",
      issues: [{ path: "input.ownerId", message: "the owner must be a manager or an admin" }],
    });
  });

  it("says NOT_FOUND for an owner ID that names nobody", async () => {
    const result = await unchanged(() =>
      createAccount({ name: "Ghost owned", ownerId: globalId("User", "cm0000000000000000nobody") }),
    );
    expect(result).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND", entity: "User" });
  });

  it("says INVALID_ID for an owner ID that names an Account", async () => {
    const result = await unchanged(() => createAccount({ name: "Account owned", ownerId: target.id }));
    expect(result).toMatchObject({
      __typename: "InvalidIdError",
      code: "INVALID_ID",
      value: target.id,
      expected: "User",
    });
  });

  it("says INVALID_ID for a malformed team member ID", async () => {
    const result = await unchanged(() =>
      createAccount({ name: "Bad team", teamMemberIds: [globalId("User", otherManager.id), "!!!"] }),
    );
    expect(result).toMatchObject({ __typename: "InvalidIdError", code: "INVALID_ID", value: "!!!" });
  });

  it("refuses an external ID another account has, even with spaces around it", async () => {
    for (const externalId of ["TAKEN-1", "  TAKEN-1  "]) {
      const result = await unchanged(() => createAccount({ name: "Duplicate", externalId }));
      expect(result).toMatchObject({
        __typename: "AlreadyExistsError",
        code: "ALREADY_EXISTS",
        field: "externalId",
        value: "TAKEN-1",
      });
    }
    expect(await app.db.prisma.account.count({ where: { name: "Duplicate" } })).toBe(0);
  });
});

describe("updateAccount with bad input", () => {
  it.each([
    ["version 0", { version: 0 }, [{ path: "input.version", message: "must be at least 1" }]],
    ["name null", { name: null }, [{ path: "input.name", message: "cannot be cleared" }]],
    ["status null", { status: null }, [{ path: "input.status", message: "cannot be cleared" }]],
    [
      "isKeyAccount null",
      { isKeyAccount: null },
      [{ path: "input.isKeyAccount", message: "cannot be cleared" }],
    ],
    ["an empty name", { name: "" }, [{ path: "input.name", message: "must not be empty" }]],
    [
      'country "France"',
      { country: "France", region: "Europe" },
      [{ path: "input.country", message: "must be a two-letter ISO 3166-1 country code such as FR" }],
    ],
  ])("rejects %s with a ValidationError and leaves the account as it was", async (_label, fields, issues) => {
    const result = await targetUnchanged(() => updateTarget(fields));
    expect(result).toMatchObject({ __typename: "ValidationError", code: "VALIDATION_FAILED" });
    expect(result.issues).toEqual(issues);
  });

  it("says NOT_FOUND for an unknown account", async () => {
    const id = globalId("Account", "cm0000000000000000nothing");
    const result = await unchanged(async () => {
      const response = await app.gql(updateMutation, { input: { id, version: 1, name: "X" } }, admin.token);
      return response.data.updateAccount;
    });
    expect(result).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND", entity: "Account" });
  });

  it("says INVALID_ID for the ID of a User", async () => {
    const id = globalId("User", manager.id);
    const result = await unchanged(async () => {
      const response = await app.gql(updateMutation, { input: { id, version: 1, name: "X" } }, admin.token);
      return response.data.updateAccount;
    });
    expect(result).toMatchObject({ __typename: "InvalidIdError", code: "INVALID_ID", expected: "Account" });
  });

  it("refuses an external ID another account has", async () => {
    const result = await targetUnchanged(() => updateTarget({ externalId: "TAKEN-1", name: "Renamed" }));
    expect(result).toMatchObject({
      __typename: "AlreadyExistsError",
      code: "ALREADY_EXISTS",
      field: "externalId",
      value: "TAKEN-1",
    });
  });

  it("refuses a viewer as the new owner", async () => {
    const result = await targetUnchanged(() => updateTarget({ ownerId: globalId("User", viewer.id) }));
    expect(result).toMatchObject({
      __typename: "ValidationError",
      issues: [{ path: "input.ownerId", message: "the owner must be a manager or an admin" }],
    });
  });
});

describe("a write that fails part-way", () => {
  it("keeps the team and version when one of the new team members does not exist", async () => {
    const result = await targetUnchanged(() =>
      updateTarget({
        region: "Somewhere else",
        teamMemberIds: [globalId("User", admin.id), globalId("User", "cm0000000000000000nobody")],
      }),
    );
    expect(result).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND", entity: "User" });
    const row = await targetRow();
    expect(row.version).toBe(1);
    expect(row.team).toEqual([{ userId: otherManager.id }]);
  });

  it("rolls back the account change when the audit entry cannot be written, and masks the cause", async () => {
    // A database trigger makes the last statement of the update transaction (the audit insert) fail
    // after the version, the fields and the team have been written.
    const failure = "audit store unavailable (bad-input test trigger)";
    const statements =
      inject("dbKind") === "postgres"
        ? [
            `CREATE FUNCTION kam_test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               IF NEW."entityId" = '${target.dbId}' THEN RAISE EXCEPTION '${failure}'; END IF;
               RETURN NEW;
             END $$`,
            `CREATE TRIGGER kam_test_fail_audit BEFORE INSERT ON "AuditEntry"
             FOR EACH ROW EXECUTE FUNCTION kam_test_fail_audit()`,
          ]
        : [
            `CREATE TRIGGER kam_test_fail_audit BEFORE INSERT ON "AuditEntry"
             WHEN NEW."entityId" = '${target.dbId}'
             BEGIN SELECT RAISE(ABORT, '${failure}'); END`,
          ];
    const cleanup =
      inject("dbKind") === "postgres"
        ? [
            `DROP TRIGGER IF EXISTS kam_test_fail_audit ON "AuditEntry"`,
            "DROP FUNCTION IF EXISTS kam_test_fail_audit()",
          ]
        : ["DROP TRIGGER IF EXISTS kam_test_fail_audit"];
    for (const statement of statements) await app.db.prisma.$executeRawUnsafe(statement);
    try {
      const response = await targetUnchanged(() =>
        app.gql(
          updateMutation,
          {
            input: {
              id: target.id,
              version: 1,
              name: "Half written",
              region: "Nowhere",
              teamMemberIds: [globalId("User", admin.id)],
            },
          },
          admin.token,
        ),
      );
      expect(response.data).toBeNull();
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]?.message).toBe("Unexpected error.");
      expect(response.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(JSON.stringify(response)).not.toMatch(/audit store|trigger|prisma|AuditEntry/i);
    } finally {
      for (const statement of cleanup) await app.db.prisma.$executeRawUnsafe(statement);
    }
    const row = await targetRow();
    expect(row).toMatchObject({ name: "Target Industries", version: 1, region: null });
    expect(row.team).toEqual([{ userId: otherManager.id }]);

    // With the trigger gone, the same change goes through: the failure was the trigger, nothing else.
    const retried = await updateTarget({ region: "Western Europe" });
    expect(retried).toMatchObject({ __typename: "MutationUpdateAccountSuccess", data: { version: 2 } });
  });
});
