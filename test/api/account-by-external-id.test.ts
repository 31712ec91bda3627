import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

/** `accountByExternalId`: the exact lookup an ERP screen needs, with the answers of `account(id)`. */

let app: TestApp;
let admin: Awaited<ReturnType<TestApp["createUser"]>>;
let viewer: Awaited<ReturnType<TestApp["createUser"]>>;

const byExternalId = `query($externalId: String!) {
  accountByExternalId(externalId: $externalId) {
    __typename
    ... on Account { id name externalId archivedAt competitors { name } }
    ... on Error { code message }
  }
}`;

const byId = `query($id: ID!) {
  account(id: $id) {
    __typename
    ... on Account { id name externalId archivedAt competitors { name } }
    ... on Error { code message }
  }
}`;

async function account(name: string, externalId: string | null, archived = false) {
  const row = await app.db.prisma.account.create({
    data: {
      name,
      sortName: name.toLowerCase(),
      externalId,
      status: "ACTIVE",
      archivedAt: archived ? new Date("2026-01-15T00:00:00Z") : null,
      competitors: { create: [{ name: `${name} rival`, position: "CHALLENGER", threatLevel: "HIGH" }] },
    },
  });
  return { dbId: row.id, id: globalId("Account", row.id) };
}

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.createUser("ADMIN");
  viewer = await app.createUser("VIEWER");
  await account("Exact Match", "ERP-700");
  // Contains "ERP-700" too: a search would find both, the exact lookup only one.
  await account("Longer Match", "ERP-7001");
  await account("Archived One", "ERP-ARCH", true);
});
afterAll(() => app.close());

describe("accountByExternalId", () => {
  it("finds the account whose external ID is exactly the one given, with nested fields", async () => {
    const search = await app.gql(
      `{ accounts(filter: { search: "ERP-700" }) { totalCount } }`,
      {},
      viewer.token,
    );
    expect(search.data.accounts.totalCount).toBe(2);

    const result = await app.gql(byExternalId, { externalId: "ERP-700" }, viewer.token);
    expect(result.errors).toBeUndefined();
    expect(result.data.accountByExternalId).toMatchObject({
      __typename: "Account",
      name: "Exact Match",
      externalId: "ERP-700",
      archivedAt: null,
      competitors: [{ name: "Exact Match rival" }],
    });
    // The same account, the same answer, as by its global ID.
    const same = await app.gql(byId, { id: result.data.accountByExternalId.id }, viewer.token);
    expect(same.data.account).toEqual(result.data.accountByExternalId);
  });

  it("ignores spaces around the ID, as external IDs are stored trimmed", async () => {
    const result = await app.gql(byExternalId, { externalId: "  ERP-700 " }, viewer.token);
    expect(result.data.accountByExternalId).toMatchObject({ __typename: "Account", name: "Exact Match" });
  });

  it("is exact in case too", async () => {
    const result = await app.gql(byExternalId, { externalId: "erp-700" }, admin.token);
    expect(result.data.accountByExternalId).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND" });
  });

  it("answers a typed NotFoundError for an unknown external ID", async () => {
    const result = await app.gql(byExternalId, { externalId: "ERP-404" }, admin.token);
    expect(result.errors).toBeUndefined();
    expect(result.data.accountByExternalId).toEqual({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      message: "No Account with external ID ERP-404.",
    });
  });

  it("answers a typed InvalidIdError for a blank or over-long external ID", async () => {
    for (const externalId of ["", "   ", "X".repeat(101)]) {
      const result = await app.gql(byExternalId, { externalId }, admin.token);
      expect(result.errors).toBeUndefined();
      expect(result.data.accountByExternalId).toMatchObject({
        __typename: "InvalidIdError",
        code: "INVALID_ID",
      });
    }
  });

  it("gives an archived account, as account(id) does", async () => {
    const result = await app.gql(byExternalId, { externalId: "ERP-ARCH" }, admin.token);
    expect(result.data.accountByExternalId).toMatchObject({
      __typename: "Account",
      name: "Archived One",
      archivedAt: "2026-01-15T00:00:00.000Z",
    });
    const same = await app.gql(byId, { id: result.data.accountByExternalId.id }, admin.token);
    expect(same.data.account).toEqual(result.data.accountByExternalId);
  });

  it("refuses a key without the read scope with the same ForbiddenError for an existing and a missing ID", async () => {
    const importKey = await app.createKey(["import"]);
    const existing = await app.gql(byExternalId, { externalId: "ERP-700" }, importKey.secret);
    const missing = await app.gql(byExternalId, { externalId: "ERP-404" }, importKey.secret);
    const blank = await app.gql(byExternalId, { externalId: "" }, importKey.secret);
    expect(existing.data.accountByExternalId).toMatchObject({
      __typename: "ForbiddenError",
      code: "FORBIDDEN",
    });
    expect(missing).toEqual(existing);
    expect(blank).toEqual(existing);
    // account(id) refuses the same key with the same answer.
    const byGlobalId = await app.gql(byId, { id: globalId("Account", "missing") }, importKey.secret);
    expect(byGlobalId.data.account).toEqual(existing.data.accountByExternalId);
  });

  it("lets a key with the read scope look accounts up", async () => {
    const readKey = await app.createKey(["read"]);
    const result = await app.gql(byExternalId, { externalId: "ERP-7001" }, readKey.secret);
    expect(result.data.accountByExternalId).toMatchObject({ __typename: "Account", name: "Longer Match" });
  });

  it("asks for a token like every other field", async () => {
    const result = await app.gql(byExternalId, { externalId: "ERP-700" }, null);
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
