import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

let app: TestApp;
let admin: Awaited<ReturnType<TestApp["createUser"]>>;
let manager: Awaited<ReturnType<TestApp["createUser"]>>;
let otherManager: Awaited<ReturnType<TestApp["createUser"]>>;
let viewer: Awaited<ReturnType<TestApp["createUser"]>>;

const createMutation = `mutation($input: CreateSavedSegmentInput!) {
  createSavedSegment(input: $input) {
    __typename
    ... on MutationCreateSavedSegmentSuccess { data { id name version filter } }
    ... on Error { code message }
  }
}`;
const updateMutation = `mutation($input: UpdateSavedSegmentInput!) {
  updateSavedSegment(input: $input) {
    __typename
    ... on MutationUpdateSavedSegmentSuccess { data { id name version filter } }
    ... on Error { code }
  }
}`;
const listQuery = `query($filter: AccountFilter) { accounts(filter: $filter) { totalCount edges { node { name } } } }`;

async function names(filter: Record<string, unknown>, token = manager.token) {
  const { data, errors } = await app.gql(listQuery, { filter }, token);
  expect(errors).toBeUndefined();
  return data.accounts.edges.map((edge: any) => edge.node.name);
}

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.createUser("ADMIN");
  manager = await app.createUser("MANAGER");
  otherManager = await app.createUser("MANAGER");
  viewer = await app.createUser("VIEWER");
  const rows: [string, "ACTIVE" | "AT_RISK" | "PROSPECT", boolean, string][] = [
    ["Alpha", "ACTIVE", true, "Retail"],
    ["Bravo", "ACTIVE", false, "Retail"],
    ["Charlie", "AT_RISK", true, "Energy"],
    ["Delta", "ACTIVE", true, "Energy"],
    ["Echo", "PROSPECT", false, "Retail"],
  ];
  for (const [name, status, isKeyAccount, industry] of rows) {
    await app.db.prisma.account.create({
      data: { name, sortName: name.toLowerCase(), status, isKeyAccount, industry, ownerId: manager.id },
    });
  }
  // Delta was contacted recently; the others never.
  const delta = await app.db.prisma.account.findFirstOrThrow({ where: { name: "Delta" } });
  await app.db.prisma.accountEvent.create({
    data: { accountId: delta.id, kind: "MEETING", occurredAt: new Date(), title: "Review" },
  });
});
afterAll(() => app.close());

describe("saved segments", () => {
  let segment: { id: string; version: number };

  it("saves a filter that anyone can then apply, alone or with more conditions", async () => {
    const created = await app.gql(
      createMutation,
      {
        input: {
          name: "Active key accounts",
          filter: { status: ["ACTIVE"], isKeyAccount: true, lastContactBefore: "2026-01-01T00:00:00Z" },
        },
      },
      manager.token,
    );
    expect(created.data.createSavedSegment.__typename).toBe("MutationCreateSavedSegmentSuccess");
    segment = created.data.createSavedSegment.data;
    expect(created.data.createSavedSegment.data.filter).toMatchObject({
      status: ["ACTIVE"],
      isKeyAccount: true,
    });

    // Delta was contacted after the date, so only Alpha matches.
    expect(await names({ savedSegmentId: segment.id }, viewer.token)).toEqual(["Alpha"]);
    expect(await names({ savedSegmentId: segment.id, industry: "Energy" })).toEqual([]);
    const list = await app.gql(`{ savedSegments { name } }`, {}, viewer.token);
    expect(list.data.savedSegments).toEqual([{ name: "Active key accounts" }]);
  });

  it("lets its author change it, with the version, and everyone sees the new filter", async () => {
    const updated = await app.gql(
      updateMutation,
      { input: { id: segment.id, version: segment.version, filter: { industry: "Retail" } } },
      manager.token,
    );
    expect(updated.data.updateSavedSegment.data.version).toBe(2);
    segment = updated.data.updateSavedSegment.data;
    expect(await names({ savedSegmentId: segment.id })).toEqual(["Alpha", "Bravo", "Echo"]);
    const stale = await app.gql(
      updateMutation,
      { input: { id: segment.id, version: 1, name: "Old" } },
      manager.token,
    );
    expect(stale.data.updateSavedSegment.__typename).toBe("VersionConflictError");
  });

  it("refuses other managers, viewers and taken names, and changes nothing", async () => {
    const byOther = await app.gql(
      updateMutation,
      { input: { id: segment.id, version: 2, name: "Mine now" } },
      otherManager.token,
    );
    expect(byOther.data.updateSavedSegment.__typename).toBe("ForbiddenError");
    const byViewer = await app.gql(createMutation, { input: { name: "Viewer's", filter: {} } }, viewer.token);
    expect(byViewer.data.createSavedSegment.__typename).toBe("ForbiddenError");
    const taken = await app.gql(
      createMutation,
      { input: { name: "Active key accounts", filter: {} } },
      otherManager.token,
    );
    expect(taken.data.createSavedSegment).toMatchObject({
      __typename: "AlreadyExistsError",
      code: "ALREADY_EXISTS",
    });
    const empty = await app.gql(createMutation, { input: { name: "  ", filter: {} } }, otherManager.token);
    expect(empty.data.createSavedSegment.__typename).toBe("ValidationError");
    expect(await app.db.prisma.savedSegment.count()).toBe(1);
    const byAdmin = await app.gql(
      updateMutation,
      { input: { id: segment.id, version: 2, name: "Retail" } },
      admin.token,
    );
    expect(byAdmin.data.updateSavedSegment.data.name).toBe("Retail");
  });

  it("reports an unknown or malformed segment ID", async () => {
    const unknown = await app.gql(
      listQuery,
      { filter: { savedSegmentId: globalId("SavedSegment", "nope") } },
      manager.token,
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const malformed = await app.gql(listQuery, { filter: { savedSegmentId: "garbage" } }, manager.token);
    expect(malformed.errors?.[0]?.extensions?.code).toBe("INVALID_ID");
  });

  it("is removed by its author with the version, and audited", async () => {
    const removed = await app.gql(
      `mutation($input: RemoveSavedSegmentInput!) { removeSavedSegment(input: $input) { __typename } }`,
      { input: { id: segment.id, version: 3 } },
      manager.token,
    );
    expect(removed.data.removeSavedSegment.__typename).toBe("MutationRemoveSavedSegmentSuccess");
    expect(await app.db.prisma.savedSegment.count()).toBe(0);
    const actions = (await app.db.prisma.auditEntry.findMany({ where: { entityType: "SavedSegment" } })).map(
      (entry) => entry.action,
    );
    expect(actions.sort()).toEqual([
      "savedSegment.create",
      "savedSegment.remove",
      "savedSegment.update",
      "savedSegment.update",
    ]);
  });
});
