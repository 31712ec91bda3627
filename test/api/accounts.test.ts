import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

let app: TestApp;
let admin: Awaited<ReturnType<TestApp["createUser"]>>;
let manager: Awaited<ReturnType<TestApp["createUser"]>>;
let otherManager: Awaited<ReturnType<TestApp["createUser"]>>;

const accountFields =
  "id name externalId industry region country website status isKeyAccount version archivedAt owner { id } team { id } viewerCanEdit";

const createMutation = `mutation($input: CreateAccountInput!) {
  createAccount(input: $input) {
    __typename
    ... on MutationCreateAccountSuccess { data { ${accountFields} } }
    ... on Error { message code }
    ... on ValidationError { issues { path message } }
  }
}`;

const updateMutation = `mutation($input: UpdateAccountInput!) {
  updateAccount(input: $input) {
    __typename
    ... on MutationUpdateAccountSuccess { data { ${accountFields} } }
    ... on Error { message code }
    ... on VersionConflictError { expectedVersion currentVersion }
  }
}`;

const archiveMutation = `mutation($input: ArchiveAccountInput!) {
  archiveAccount(input: $input) {
    __typename
    ... on MutationArchiveAccountSuccess { data { id version archivedAt viewerCanEdit } }
    ... on Error { message code }
  }
}`;

async function create(input: Record<string, unknown>, token = admin.token) {
  const response = await app.gql(createMutation, { input }, token);
  expect(response.errors).toBeUndefined();
  return response.data.createAccount;
}

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.createUser("ADMIN", "Ada");
  manager = await app.createUser("MANAGER", "Manon");
  otherManager = await app.createUser("MANAGER", "Oleg");
});
afterAll(() => app.close());

describe("creating accounts", () => {
  it("creates an account with every field and records it in the audit log", async () => {
    const result = await create({
      name: "  Boulangeries Dupont  ",
      externalId: "ERP-1",
      industry: "Food & Beverage",
      region: "Western Europe",
      country: "fr",
      website: "https://dupont.example",
      status: "ACTIVE",
      isKeyAccount: true,
      ownerId: globalId("User", manager.id),
      teamMemberIds: [globalId("User", otherManager.id)],
    });
    expect(result.__typename).toBe("MutationCreateAccountSuccess");
    expect(result.data).toMatchObject({
      name: "Boulangeries Dupont",
      externalId: "ERP-1",
      country: "FR",
      status: "ACTIVE",
      isKeyAccount: true,
      version: 1,
      archivedAt: null,
      owner: { id: globalId("User", manager.id) },
      team: [{ id: globalId("User", otherManager.id) }],
    });
    const audit = await app.db.prisma.auditEntry.findMany({ where: { action: "account.create" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actorLabel).toBe(admin.email);
    expect(audit[0]?.after).toMatchObject({ name: "Boulangeries Dupont", externalId: "ERP-1" });
  });

  it("makes the calling manager the owner when no owner is named", async () => {
    const result = await create({ name: "Owned by default" }, manager.token);
    expect(result.data.owner).toEqual({ id: globalId("User", manager.id) });
    expect(result.data.status).toBe("PROSPECT");
    expect(result.data.viewerCanEdit).toBe(true);
  });
});

describe("reading accounts", () => {
  beforeAll(async () => {
    for (const [index, name] of [
      "Zeta Logistics",
      "alpha retail",
      "Beta Energy",
      "Gamma Pharma",
      "Delta Motors",
    ].entries()) {
      await create({
        name,
        externalId: `LIST-${index}`,
        status: index % 2 === 0 ? "ACTIVE" : "AT_RISK",
        isKeyAccount: index < 2,
        ownerId: globalId("User", index < 3 ? otherManager.id : manager.id),
      });
    }
  });

  const listQuery = `query($filter: AccountFilter, $orderBy: AccountOrder, $first: Int, $after: String) {
    accounts(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id name status isKeyAccount owner { id } } }
    }
  }`;

  it("searches names case-insensitively", async () => {
    const { data } = await app.gql(listQuery, { filter: { search: "ALPHA" } }, admin.token);
    expect(data.accounts.totalCount).toBe(1);
    expect(data.accounts.edges[0].node.name).toBe("alpha retail");
  });

  it("filters by status, owner and key-account flag together", async () => {
    const { data } = await app.gql(
      listQuery,
      { filter: { status: ["ACTIVE"], ownerId: globalId("User", otherManager.id), isKeyAccount: true } },
      admin.token,
    );
    expect(data.accounts.edges.map((edge: any) => edge.node.name)).toEqual(["Zeta Logistics"]);
    expect(data.accounts.totalCount).toBe(1);
  });

  it("orders by name, either way, and pages with cursors without gaps or repeats", async () => {
    const filter = { search: "LIST-" };
    const all = await app.gql(listQuery, { filter, first: 50 }, admin.token);
    const names = all.data.accounts.edges.map((edge: any) => edge.node.name);
    expect(names).toEqual(["alpha retail", "Beta Energy", "Delta Motors", "Gamma Pharma", "Zeta Logistics"]);

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const response: any = await app.gql(listQuery, { filter, first: 2, after }, admin.token);
      expect(response.data.accounts.totalCount).toBe(5);
      seen.push(...response.data.accounts.edges.map((edge: any) => edge.node.name));
      if (!response.data.accounts.pageInfo.hasNextPage) break;
      after = response.data.accounts.pageInfo.endCursor;
    }
    expect(seen).toEqual(names);

    const descending = await app.gql(
      listQuery,
      { filter, first: 50, orderBy: { field: "NAME", direction: "DESC" } },
      admin.token,
    );
    expect(descending.data.accounts.edges.map((edge: any) => edge.node.name)).toEqual([...names].reverse());
  });

  it("orders by creation date", async () => {
    const { data } = await app.gql(
      listQuery,
      { filter: { search: "LIST-" }, orderBy: { field: "CREATED_AT", direction: "ASC" } },
      admin.token,
    );
    expect(data.accounts.edges.map((edge: any) => edge.node.name)).toEqual([
      "Zeta Logistics",
      "alpha retail",
      "Beta Energy",
      "Gamma Pharma",
      "Delta Motors",
    ]);
  });

  it("reads one account by ID and through node(id)", async () => {
    const { data } = await app.gql(listQuery, { filter: { search: "Gamma" } }, admin.token);
    const id = data.accounts.edges[0].node.id;
    const one = await app.gql(
      `query($id: ID!) { account(id: $id) { __typename ... on Account { name } } node(id: $id) { ... on Account { name } } }`,
      { id },
      admin.token,
    );
    expect(one.data).toEqual({
      account: { __typename: "Account", name: "Gamma Pharma" },
      node: { name: "Gamma Pharma" },
    });
  });
});

describe("updating with optimistic concurrency", () => {
  it("applies a change that names the current version and bumps it", async () => {
    const created = await create({ name: "Versioned", ownerId: globalId("User", manager.id) });
    const updated = await app.gql(
      updateMutation,
      { input: { id: created.data.id, version: 1, industry: "Retail", website: null } },
      manager.token,
    );
    expect(updated.data.updateAccount.data).toMatchObject({
      industry: "Retail",
      version: 2,
      name: "Versioned",
    });
  });

  it("rejects a change based on a stale version with a typed conflict and changes nothing", async () => {
    const created = await create({ name: "Contested", ownerId: globalId("User", manager.id) });
    const id = created.data.id;
    const first = await app.gql(updateMutation, { input: { id, version: 1, region: "Asia" } }, manager.token);
    expect(first.data.updateAccount.data.version).toBe(2);
    const stale = await app.gql(updateMutation, { input: { id, version: 1, region: "Europe" } }, admin.token);
    expect(stale.data.updateAccount).toMatchObject({
      __typename: "VersionConflictError",
      code: "VERSION_CONFLICT",
      expectedVersion: 1,
      currentVersion: 2,
    });
    const row = await app.db.prisma.account.findFirstOrThrow({ where: { name: "Contested" } });
    expect(row.region).toBe("Asia");
    expect(row.version).toBe(2);
  });

  it("lets exactly one of two concurrent writers of the same version win", async () => {
    const created = await create({ name: "Race", ownerId: globalId("User", manager.id) });
    const id = created.data.id;
    const results = await Promise.all(
      ["North", "South"].map((region) =>
        app.gql(updateMutation, { input: { id, version: 1, region } }, admin.token),
      ),
    );
    const kinds = results.map((result) => result.data.updateAccount.__typename).sort();
    expect(kinds).toEqual(["MutationUpdateAccountSuccess", "VersionConflictError"]);
    const row = await app.db.prisma.account.findFirstOrThrow({ where: { name: "Race" } });
    expect(row.version).toBe(2);
  });

  it("replaces the team and records before and after", async () => {
    const created = await create({
      name: "Team change",
      ownerId: globalId("User", manager.id),
      teamMemberIds: [globalId("User", otherManager.id)],
    });
    const result = await app.gql(
      updateMutation,
      { input: { id: created.data.id, version: 1, teamMemberIds: [globalId("User", admin.id)] } },
      manager.token,
    );
    expect(result.data.updateAccount.data.team).toEqual([{ id: globalId("User", admin.id) }]);
    const entry = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "account.update", actorLabel: manager.email },
      orderBy: { at: "desc" },
    });
    expect((entry.before as any).teamMemberIds).toEqual([otherManager.id]);
    expect((entry.after as any).teamMemberIds).toEqual([admin.id]);
  });
});

describe("archiving", () => {
  it("archives, hides the account from lists, and refuses further changes", async () => {
    const created = await create({ name: "To archive", externalId: "ARCH-1" });
    const id = created.data.id;
    const archived = await app.gql(archiveMutation, { input: { id, version: 1 } }, admin.token);
    expect(archived.data.archiveAccount.data).toMatchObject({ version: 2, viewerCanEdit: false });
    expect(archived.data.archiveAccount.data.archivedAt).toEqual(expect.any(String));

    const list = `query($filter: AccountFilter) { accounts(filter: $filter) { totalCount } }`;
    expect(
      (await app.gql(list, { filter: { search: "ARCH-1" } }, admin.token)).data.accounts.totalCount,
    ).toBe(0);
    expect(
      (await app.gql(list, { filter: { search: "ARCH-1", includeArchived: true } }, admin.token)).data
        .accounts.totalCount,
    ).toBe(1);

    const again = await app.gql(updateMutation, { input: { id, version: 2, name: "Revived" } }, admin.token);
    expect(again.data.updateAccount).toMatchObject({
      __typename: "AccountArchivedError",
      code: "ACCOUNT_ARCHIVED",
    });
  });
});
