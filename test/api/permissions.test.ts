import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiKeyScope } from "../../api/auth/principal.ts";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

/**
 * The permission matrix: ADMIN does everything; MANAGER reads every account and writes the ones
 * they own or whose team they are on; VIEWER reads; API keys act through their scopes.
 */

let app: TestApp;

type Person = "admin" | "manager" | "viewer";
type Key = "read key" | "write key" | "read+write key" | "import key" | "read+import+personal_data key";
type Who = Person | Key;
type Relation = "own" | "team" | "other";

interface Caller {
  token: string;
  /** The user's ID, or undefined for an API key. */
  userId?: string;
  actorKind: "USER" | "API_KEY";
  actorId: string;
}

const callers = {} as Record<Who, Caller>;
/** Owns the accounts that are not the caller's own. */
let someoneElse: Awaited<ReturnType<TestApp["createUser"]>>;

const keyScopes: Record<Key, ApiKeyScope[]> = {
  "read key": ["read"],
  "write key": ["write"],
  "read+write key": ["read", "write"],
  "import key": ["import"],
  "read+import+personal_data key": ["read", "import", "personal_data"],
};

let accountCounter = 0;

/**
 * A fresh account standing in the given relation to the caller: owned by them, with them on the
 * team (owned by someone else), or neither. A viewer can own an account when a manager who owned it
 * was demoted, so the row is written directly rather than through the API.
 */
async function accountFor(relation: Relation, who: Who) {
  const userId = callers[who].userId;
  if (relation !== "other" && !userId) throw new Error(`${who} cannot stand in relation ${relation}`);
  accountCounter += 1;
  const name = `Matrix ${accountCounter} (${who}, ${relation})`;
  const account = await app.db.prisma.account.create({
    data: {
      name,
      sortName: name.toLowerCase(),
      industry: "Unchanged",
      ownerId: relation === "own" ? userId : someoneElse.id,
      team: relation === "team" ? { create: [{ userId: userId! }] } : undefined,
    },
  });
  return { dbId: account.id, id: globalId("Account", account.id) };
}

function snapshot(dbId: string) {
  return app.db.prisma.account.findUniqueOrThrow({ where: { id: dbId }, include: { team: true } });
}

function auditEntriesFor(dbId: string) {
  return app.db.prisma.auditEntry.findMany({ where: { entityId: dbId } });
}

const readQuery = `query($id: ID!) {
  account(id: $id) {
    __typename
    ... on Account { id name viewerCanEdit }
    ... on Error { code message }
  }
}`;

const listQuery = `query($search: String) {
  accounts(filter: { search: $search }) { totalCount edges { node { id } } }
}`;

// The success members select only __typename: a key without the read scope may not read the
// Account in the payload. What was written is checked in the database instead.
const updateMutation = `mutation($input: UpdateAccountInput!) {
  updateAccount(input: $input) {
    __typename
    ... on Error { code message }
  }
}`;

const archiveMutation = `mutation($input: ArchiveAccountInput!) {
  archiveAccount(input: $input) {
    __typename
    ... on Error { code message }
  }
}`;

const createMutation = `mutation($input: CreateAccountInput!) {
  createAccount(input: $input) {
    __typename
    ... on Error { code message }
  }
}`;

beforeAll(async () => {
  app = await createTestApp();
  someoneElse = await app.createUser("MANAGER", "Someone Else");
  for (const [who, role] of [
    ["admin", "ADMIN"],
    ["manager", "MANAGER"],
    ["viewer", "VIEWER"],
  ] as const) {
    const user = await app.createUser(role);
    callers[who] = { token: user.token, userId: user.id, actorKind: "USER", actorId: user.id };
  }
  for (const [who, scopes] of Object.entries(keyScopes) as [Key, ApiKeyScope[]][]) {
    const key = await app.createKey(scopes);
    callers[who] = { token: key.secret, actorKind: "API_KEY", actorId: key.id };
  }
});
afterAll(() => app.close());

interface Row {
  who: Who;
  relation: Relation;
  read: boolean;
  write: boolean;
}

// Spelled out rather than computed, so that a change to the rules has to change this table.
const matrix: Row[] = [
  { who: "admin", relation: "own", read: true, write: true },
  { who: "admin", relation: "team", read: true, write: true },
  { who: "admin", relation: "other", read: true, write: true },
  { who: "manager", relation: "own", read: true, write: true },
  { who: "manager", relation: "team", read: true, write: true },
  { who: "manager", relation: "other", read: true, write: false },
  { who: "viewer", relation: "own", read: true, write: false },
  { who: "viewer", relation: "team", read: true, write: false },
  { who: "viewer", relation: "other", read: true, write: false },
  { who: "read key", relation: "other", read: true, write: false },
  { who: "write key", relation: "other", read: true, write: true },
  { who: "read+write key", relation: "other", read: true, write: true },
  { who: "import key", relation: "other", read: false, write: false },
  { who: "read+import+personal_data key", relation: "other", read: true, write: false },
];

describe("reading accounts", () => {
  it.each(matrix)("$who, $relation account: may read = $read", async ({ who, relation, read }) => {
    const account = await accountFor(relation, who);
    const { token } = callers[who];

    const one = await app.gql(readQuery, { id: account.id }, token);
    expect(one.errors).toBeUndefined();
    const list = await app.gql(listQuery, { search: `(${who}, ${relation})` }, token);
    const node = await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: account.id }, token);

    if (read) {
      expect(one.data.account).toMatchObject({ __typename: "Account", id: account.id });
      expect(list.errors).toBeUndefined();
      expect(list.data.accounts.edges.map((edge: any) => edge.node.id)).toContain(account.id);
      expect(node.errors).toBeUndefined();
      expect(node.data.node).toEqual({ id: account.id });
    } else {
      expect(one.data.account).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
      expect(list.data).toBeNull();
      expect(list.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(list.errors?.[0]?.path).toEqual(["accounts"]);
      // node(id) answers as for a missing ID: nothing tells that the account exists.
      expect(node.data).toEqual({ node: null });
      expect(node.errors).toBeUndefined();
    }
  });

  it.each([
    { who: "read key" as const, read: true },
    { who: "read+write key" as const, read: true },
    { who: "write key" as const, read: true },
    { who: "import key" as const, read: false },
  ])("users are readable with the read or write scope: $who → $read", async ({ who, read }) => {
    const result = await app.gql(`{ users { totalCount } }`, {}, callers[who].token);
    if (read) {
      expect(result.errors).toBeUndefined();
      expect(result.data.users.totalCount).toBeGreaterThanOrEqual(4);
    } else {
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
  });
});

describe("viewerCanEdit", () => {
  it.each(matrix.filter((row) => row.read))(
    "$who, $relation account: viewerCanEdit = $write",
    async ({ who, relation, write }) => {
      const account = await accountFor(relation, who);
      const result = await app.gql(readQuery, { id: account.id }, callers[who].token);
      expect(result.errors).toBeUndefined();
      expect(result.data.account.viewerCanEdit).toBe(write);
    },
  );

  it("is false on an archived account, even for an admin", async () => {
    const account = await accountFor("other", "admin");
    await app.db.prisma.account.update({ where: { id: account.dbId }, data: { archivedAt: new Date() } });
    const result = await app.gql(readQuery, { id: account.id }, callers.admin.token);
    expect(result.data.account).toMatchObject({ __typename: "Account", viewerCanEdit: false });
  });
});

describe("writing accounts", () => {
  it.each(matrix)(
    "updateAccount: $who, $relation account: may write = $write",
    async ({ who, relation, write }) => {
      const account = await accountFor(relation, who);
      const before = await snapshot(account.dbId);
      const caller = callers[who];

      const result = await app.gql(
        updateMutation,
        { input: { id: account.id, version: 1, name: "Renamed", industry: "Changed" } },
        caller.token,
      );
      expect(result.errors).toBeUndefined();
      const after = await snapshot(account.dbId);
      const audit = await auditEntriesFor(account.dbId);

      if (write) {
        expect(result.data.updateAccount).toEqual({ __typename: "MutationUpdateAccountSuccess" });
        expect(after).toMatchObject({ name: "Renamed", industry: "Changed", version: 2 });
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({
          action: "account.update",
          actorKind: caller.actorKind,
          actorId: caller.actorId,
        });
      } else {
        expect(result.data.updateAccount).toMatchObject({
          __typename: "ForbiddenError",
          code: "FORBIDDEN",
          message: expect.any(String),
        });
        expect(after).toEqual(before);
        expect(after.version).toBe(1);
        expect(audit).toEqual([]);
      }
    },
  );

  it.each(matrix)(
    "archiveAccount: $who, $relation account: may write = $write",
    async ({ who, relation, write }) => {
      const account = await accountFor(relation, who);
      const before = await snapshot(account.dbId);
      const caller = callers[who];

      const result = await app.gql(archiveMutation, { input: { id: account.id, version: 1 } }, caller.token);
      expect(result.errors).toBeUndefined();
      const after = await snapshot(account.dbId);
      const audit = await auditEntriesFor(account.dbId);

      if (write) {
        expect(result.data.archiveAccount).toEqual({ __typename: "MutationArchiveAccountSuccess" });
        expect(after.archivedAt).toBeInstanceOf(Date);
        expect(after.version).toBe(2);
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({
          action: "account.archive",
          actorKind: caller.actorKind,
          actorId: caller.actorId,
        });
      } else {
        expect(result.data.archiveAccount).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
        expect(after).toEqual(before);
        expect(after.archivedAt).toBeNull();
        expect(audit).toEqual([]);
      }
    },
  );

  it("a manager can hand their account to someone else but then no longer change it", async () => {
    const account = await accountFor("own", "manager");
    const handOver = await app.gql(
      updateMutation,
      { input: { id: account.id, version: 1, ownerId: globalId("User", someoneElse.id) } },
      callers.manager.token,
    );
    expect(handOver.data.updateAccount.__typename).toBe("MutationUpdateAccountSuccess");
    const again = await app.gql(
      updateMutation,
      { input: { id: account.id, version: 2, name: "Mine again?" } },
      callers.manager.token,
    );
    expect(again.data.updateAccount).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
    expect((await snapshot(account.dbId)).version).toBe(2);
  });

  it("a manager demoted to viewer loses write access at once, with the same token", async () => {
    const demoted = await app.createUser("MANAGER", "Demoted");
    const name = "Owned by the demoted manager";
    const account = await app.db.prisma.account.create({
      data: { name, sortName: name.toLowerCase(), ownerId: demoted.id },
    });
    const id = globalId("Account", account.id);
    const first = await app.gql(
      updateMutation,
      { input: { id, version: 1, region: "North" } },
      demoted.token,
    );
    expect(first.data.updateAccount.__typename).toBe("MutationUpdateAccountSuccess");

    await app.db.prisma.user.update({ where: { id: demoted.id }, data: { role: "VIEWER" } });
    const second = await app.gql(
      updateMutation,
      { input: { id, version: 2, region: "South" } },
      demoted.token,
    );
    expect(second.data.updateAccount).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
    const row = await app.db.prisma.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(row).toMatchObject({ region: "North", version: 2 });
  });
});

describe("creating accounts", () => {
  it.each([
    { who: "admin" as const, allowed: true },
    { who: "manager" as const, allowed: true },
    { who: "viewer" as const, allowed: false },
    { who: "write key" as const, allowed: true },
    { who: "read+write key" as const, allowed: true },
    { who: "read key" as const, allowed: false },
    { who: "import key" as const, allowed: false },
    { who: "read+import+personal_data key" as const, allowed: false },
  ])("createAccount: $who → allowed = $allowed", async ({ who, allowed }) => {
    const caller = callers[who];
    const name = `Created by ${who}`;
    const result = await app.gql(createMutation, { input: { name } }, caller.token);
    expect(result.errors).toBeUndefined();
    const rows = await app.db.prisma.account.findMany({ where: { name } });
    const audit = await app.db.prisma.auditEntry.findMany({
      where: { action: "account.create", actorId: caller.actorId },
    });

    if (allowed) {
      expect(result.data.createAccount).toEqual({ __typename: "MutationCreateAccountSuccess" });
      expect(rows).toHaveLength(1);
      // A person who creates an account owns it; a key has nobody to make the owner.
      expect(rows[0]?.ownerId).toBe(caller.userId ?? null);
      expect(audit.map((entry) => entry.entityId)).toEqual([rows[0]?.id]);
    } else {
      expect(result.data.createAccount).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
      expect(rows).toEqual([]);
      expect(audit).toEqual([]);
    }
  });
});

describe("admin-only fields", () => {
  const nonAdmins: Who[] = [
    "manager",
    "viewer",
    "read key",
    "write key",
    "read+write key",
    "import key",
    "read+import+personal_data key",
  ];

  describe.each([
    { field: "auditLog", query: `{ auditLog(first: 5) { totalCount edges { node { id action } } } }` },
    { field: "apiKeys", query: `{ apiKeys(first: 5) { totalCount edges { node { id prefix } } } }` },
  ])("$field", ({ field, query }) => {
    it.each(nonAdmins)(`is FORBIDDEN for %s`, async (who) => {
      const result = await app.gql(query, {}, callers[who].token);
      expect(result.status).toBe(200);
      expect(result.data).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(result.errors?.[0]?.path).toEqual([field]);
    });

    it("is readable by an admin", async () => {
      const result = await app.gql(query, {}, callers.admin.token);
      expect(result.errors).toBeUndefined();
      expect(result.data[field].totalCount).toBeGreaterThan(0);
      expect(result.data[field].edges.length).toBeGreaterThan(0);
    });
  });

  const createUserMutation = `mutation($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on MutationCreateUserSuccess { data { id email role } }
      ... on Error { code message }
    }
  }`;

  const createApiKeyMutation = `mutation($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      __typename
      ... on MutationCreateApiKeySuccess { data { secret apiKey { id name } } }
      ... on Error { code message }
    }
  }`;

  const revokeApiKeyMutation = `mutation($id: ID!) {
    revokeApiKey(id: $id) {
      __typename
      ... on MutationRevokeApiKeySuccess { data { id revokedAt } }
      ... on Error { code message }
    }
  }`;

  it.each(nonAdmins)("createUser is FORBIDDEN for %s and creates nobody", async (who) => {
    const email = `made-by-${who.replace(/\W+/g, "-")}@test.kam`;
    const result = await app.gql(
      createUserMutation,
      { input: { email, name: "Intruder", role: "ADMIN" } },
      callers[who].token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.createUser).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
    expect(await app.db.prisma.user.findUnique({ where: { email } })).toBeNull();
  });

  it("createUser succeeds for an admin", async () => {
    const email = "made-by-admin@test.kam";
    const result = await app.gql(
      createUserMutation,
      { input: { email, name: "Newcomer", role: "VIEWER" } },
      callers.admin.token,
    );
    expect(result.data.createUser).toMatchObject({
      __typename: "MutationCreateUserSuccess",
      data: { email, role: "VIEWER" },
    });
    expect(await app.db.prisma.user.findUnique({ where: { email } })).not.toBeNull();
  });

  it.each(nonAdmins)("createApiKey is FORBIDDEN for %s and creates no key", async (who) => {
    const name = `made by ${who}`;
    const result = await app.gql(
      createApiKeyMutation,
      { input: { name, scopes: ["READ", "WRITE"] } },
      callers[who].token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.createApiKey).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
    expect(await app.db.prisma.apiKey.findMany({ where: { name } })).toEqual([]);
  });

  it("createApiKey succeeds for an admin", async () => {
    const result = await app.gql(
      createApiKeyMutation,
      { input: { name: "made by admin", scopes: ["READ"] } },
      callers.admin.token,
    );
    expect(result.data.createApiKey).toMatchObject({
      __typename: "MutationCreateApiKeySuccess",
      data: { secret: expect.stringMatching(/^kam_/), apiKey: { name: "made by admin" } },
    });
    expect(await app.db.prisma.apiKey.findMany({ where: { name: "made by admin" } })).toHaveLength(1);
  });

  it.each(nonAdmins)("revokeApiKey is FORBIDDEN for %s and leaves the key working", async (who) => {
    const target = await app.createKey(["read"], `target of ${who}`);
    const result = await app.gql(
      revokeApiKeyMutation,
      { id: globalId("ApiKey", target.id) },
      callers[who].token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.revokeApiKey).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
    const row = await app.db.prisma.apiKey.findUniqueOrThrow({ where: { id: target.id } });
    expect(row.revokedAt).toBeNull();
    const stillWorks = await app.gql(`{ viewer { kind } }`, {}, target.secret);
    expect(stillWorks.data).toEqual({ viewer: { kind: "API_KEY" } });
    const revocations = await app.db.prisma.auditEntry.findMany({
      where: { entityId: target.id, action: "apiKey.revoke" },
    });
    expect(revocations).toEqual([]);
  });

  it("a key cannot revoke itself", async () => {
    const key = await app.createKey(["read", "write", "import", "personal_data"], "self-revoker");
    const result = await app.gql(revokeApiKeyMutation, { id: globalId("ApiKey", key.id) }, key.secret);
    expect(result.data.revokeApiKey).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
    expect((await app.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeNull();
  });

  it("revokeApiKey succeeds for an admin", async () => {
    const target = await app.createKey(["read"], "revoked by admin");
    const result = await app.gql(
      revokeApiKeyMutation,
      { id: globalId("ApiKey", target.id) },
      callers.admin.token,
    );
    expect(result.data.revokeApiKey).toMatchObject({
      __typename: "MutationRevokeApiKeySuccess",
      data: { id: globalId("ApiKey", target.id), revokedAt: expect.any(String) },
    });
    const row = await app.db.prisma.apiKey.findUniqueOrThrow({ where: { id: target.id } });
    expect(row.revokedAt).toBeInstanceOf(Date);
  });

  describe.each([
    { type: "ApiKey", find: () => app.db.prisma.apiKey.findFirstOrThrow() },
    { type: "AuditEntry", find: () => app.db.prisma.auditEntry.findFirstOrThrow() },
  ])("$type through node(id)", ({ type, find }) => {
    it.each(nonAdmins)(`is null for %s, as for a missing ID`, async (who) => {
      const id = globalId(type, (await find()).id);
      const result = await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, callers[who].token);
      const missing = await app.gql(
        `query($id: ID!) { node(id: $id) { id } }`,
        { id: globalId(type, "no-such-record") },
        callers[who].token,
      );
      expect(result.data).toEqual({ node: null });
      expect(result.errors).toBeUndefined();
      expect(missing.data).toEqual(result.data);
      expect(missing.errors).toBeUndefined();
    });

    it("is readable by an admin", async () => {
      const id = globalId(type, (await find()).id);
      const result = await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, callers.admin.token);
      expect(result.errors).toBeUndefined();
      expect(result.data.node).toEqual({ id });
    });
  });
});

describe("no leak of existence", () => {
  const missingId = globalId("Account", "cm0000000000000000000none");

  it("the missing account really is missing (an admin gets NOT_FOUND)", async () => {
    const result = await app.gql(
      updateMutation,
      { input: { id: missingId, version: 1, name: "Ghost" } },
      callers.admin.token,
    );
    expect(result.data.updateAccount).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND" });
  });

  it.each(["viewer", "read key", "import key"] as const)(
    "%s gets the same ForbiddenError for a missing and an existing account",
    async (who) => {
      const existing = await accountFor("other", who);
      const token = callers[who].token;
      const update = (id: string) =>
        app.gql(updateMutation, { input: { id, version: 1, name: "Probe" } }, token);
      const archive = (id: string) => app.gql(archiveMutation, { input: { id, version: 1 } }, token);

      const [updateMissing, updateExisting, archiveMissing, archiveExisting] = await Promise.all([
        update(missingId),
        update(existing.id),
        archive(missingId),
        archive(existing.id),
      ]);
      expect(updateExisting.data.updateAccount).toMatchObject({
        __typename: "ForbiddenError",
        code: "FORBIDDEN",
      });
      expect(updateMissing).toEqual(updateExisting);
      expect(archiveExisting.data.archiveAccount).toMatchObject({
        __typename: "ForbiddenError",
        code: "FORBIDDEN",
      });
      expect(archiveMissing).toEqual(archiveExisting);
      expect((await snapshot(existing.dbId)).version).toBe(1);
    },
  );
});

describe("a key with only the write scope", () => {
  it("gets back the account it wrote, so a success is never mistaken for a refusal", async () => {
    const account = await accountFor("other", "write key");
    const result = await app.gql(
      `mutation($input: UpdateAccountInput!) {
        updateAccount(input: $input) {
          __typename
          ... on MutationUpdateAccountSuccess { data { id industry version } }
        }
      }`,
      { input: { id: account.id, version: 1, industry: "Written by key" } },
      callers["write key"].token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.updateAccount).toEqual({
      __typename: "MutationUpdateAccountSuccess",
      data: { id: account.id, industry: "Written by key", version: 2 },
    });
  });
});
