import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

/**
 * The account dossier, personal facts aside: general facts, the decision-making unit and its org
 * chart, the relationship history, competitors, the dossier filters of `accounts`, who may write
 * what, and the audit trail. Every refused write is also checked to have changed nothing: the
 * account row, its contacts, events and competitors, and the number of audit entries.
 */

type User = Awaited<ReturnType<TestApp["createUser"]>>;
type Key = Awaited<ReturnType<TestApp["createKey"]>>;

let app: TestApp;
let admin: User;
/** Owns every account made by `newAccount`. */
let owner: User;
/** On the team of every account made by `newAccount`. */
let teamMember: User;
/** A manager on no team. */
let outsider: User;
let viewer: User;
let readKey: Key;
let writeKey: Key;

const errorFields = `
  ... on Error { code message }
  ... on ValidationError { issues { path message } }
  ... on VersionConflictError { expectedVersion currentVersion }
  ... on NotFoundError { entity }
  ... on InvalidIdError { value expected }`;

const accountFields =
  "id version description employeeCount foundedYear history organisation marketEnvironment revenueBand keyProducts";
const contactFields = `id name title department decisionRole influence attitude characterType pitchAdvice
  email phone preferredChannel lastContactedAt version account { id } reportsTo { id }`;
const eventFields = `id kind occurredAt title details value currency contact { id } resolvedAt resolution
  reason winner satisfaction version account { id }`;
const competitorFields =
  "id name offering position threatLevel strengths weaknesses lastSeenAt version account { id }";

/** The union member of a mutation's success, e.g. MutationCreateContactSuccess. */
const successType = (name: string) => `Mutation${name[0]!.toUpperCase()}${name.slice(1)}Success`;

function mutation(name: string, inputType: string, selection: string | null) {
  return `mutation($input: ${inputType}!) {
    ${name}(input: $input) {
      __typename
      ... on ${successType(name)} { data ${selection ? `{ ${selection} }` : ""} }
      ${errorFields}
    }
  }`;
}

const operations = {
  createAccount: mutation("createAccount", "CreateAccountInput", "id version"),
  updateAccount: mutation("updateAccount", "UpdateAccountInput", accountFields),
  archiveAccount: mutation("archiveAccount", "ArchiveAccountInput", "id version"),
  createContact: mutation("createContact", "CreateContactInput", contactFields),
  updateContact: mutation("updateContact", "UpdateContactInput", contactFields),
  moveContact: mutation("moveContact", "MoveContactInput", contactFields),
  removeContact: mutation("removeContact", "RemoveContactInput", null),
  createAccountEvent: mutation("createAccountEvent", "CreateAccountEventInput", eventFields),
  updateAccountEvent: mutation("updateAccountEvent", "UpdateAccountEventInput", eventFields),
  removeAccountEvent: mutation("removeAccountEvent", "RemoveAccountEventInput", null),
  createCompetitor: mutation("createCompetitor", "CreateCompetitorInput", competitorFields),
  updateCompetitor: mutation("updateCompetitor", "UpdateCompetitorInput", competitorFields),
  removeCompetitor: mutation("removeCompetitor", "RemoveCompetitorInput", null),
};
type Operation = keyof typeof operations;

/** Runs a mutation and returns its result union member; GraphQL itself must not fail. */
async function call(name: Operation, input: Record<string, unknown>, token: string = admin.token) {
  const response = await app.gql(operations[name], { input }, token);
  expect(response.errors).toBeUndefined();
  return response.data[name];
}

/** Runs a mutation that must succeed and returns its data. */
async function ok(name: Operation, input: Record<string, unknown>, token: string = admin.token) {
  const result = await call(name, input, token);
  expect(result, JSON.stringify(result)).toMatchObject({ __typename: successType(name) });
  return result.data;
}

/** The database ID inside a global ID. */
function dbId(id: string): string {
  return Buffer.from(id, "base64").toString().split(":").slice(1).join(":");
}

let accountCounter = 0;

/** An account owned by `owner` with `teamMember` on its team; its global and database IDs. */
async function newAccount(fields: Record<string, unknown> = {}) {
  accountCounter += 1;
  const data = await ok("createAccount", {
    name: `Dossier ${accountCounter}`,
    ownerId: globalId("User", owner.id),
    teamMemberIds: [globalId("User", teamMember.id)],
    ...fields,
  });
  return { id: data.id as string, dbId: dbId(data.id) };
}

async function newContact(accountId: string, name: string, fields: Record<string, unknown> = {}) {
  return ok("createContact", {
    accountId,
    name,
    decisionRole: "USER",
    influence: 3,
    attitude: "NEUTRAL",
    ...fields,
  });
}

async function newEvent(
  accountId: string,
  kind: string,
  occurredAt: string,
  fields: Record<string, unknown> = {},
) {
  return ok("createAccountEvent", {
    accountId,
    kind,
    occurredAt,
    title: `${kind} on ${occurredAt}`,
    ...fields,
  });
}

async function newCompetitor(accountId: string, name: string, fields: Record<string, unknown> = {}) {
  return ok("createCompetitor", {
    accountId,
    name,
    position: "CHALLENGER",
    threatLevel: "MEDIUM",
    ...fields,
  });
}

/** Everything a dossier write could touch, for "nothing changed" checks. */
async function dossierState(accountDbId: string) {
  const prisma = app.db.prisma;
  const where = { accountId: accountDbId };
  const orderBy = { id: "asc" as const };
  return {
    account: await prisma.account.findUniqueOrThrow({
      where: { id: accountDbId },
      include: { team: { select: { userId: true }, orderBy: { userId: "asc" } } },
    }),
    contacts: await prisma.contact.findMany({ where, orderBy }),
    events: await prisma.accountEvent.findMany({ where, orderBy }),
    competitors: await prisma.competitor.findMany({ where, orderBy }),
    auditEntries: await prisma.auditEntry.count(),
  };
}

/** Runs `action` and asserts that the account's dossier and the audit log are exactly as before. */
async function unchanged<T>(accountDbId: string, action: () => Promise<T>): Promise<T> {
  const before = await dossierState(accountDbId);
  const result = await action();
  expect(await dossierState(accountDbId)).toEqual(before);
  return result;
}

function issuePaths(result: { issues?: { path: string }[] }) {
  return (result.issues ?? []).map((issue) => issue.path).sort();
}

const accountQuery = `query($id: ID!) {
  account(id: $id) {
    __typename
    ... on Account {
      ${accountFields}
      contacts { id name }
      decisionUnit { id name reports { id name reports { id name reports { id name } } } }
      competitors { name threatLevel }
    }
  }
}`;

async function readAccount(id: string, token: string = admin.token) {
  const response = await app.gql(accountQuery, { id }, token);
  expect(response.errors).toBeUndefined();
  expect(response.data.account.__typename).toBe("Account");
  return response.data.account;
}

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.createUser("ADMIN", "Ada Admin");
  owner = await app.createUser("MANAGER", "Olivia Owner");
  teamMember = await app.createUser("MANAGER", "Tom Team");
  outsider = await app.createUser("MANAGER", "Otto Outsider");
  viewer = await app.createUser("VIEWER", "Vera Viewer");
  readKey = await app.createKey(["read"], "read-only integration");
  writeKey = await app.createKey(["write"], "writing integration");
});
afterAll(() => app.close());

describe("general facts", () => {
  const facts = {
    description: "Industrial bakeries in three countries.",
    employeeCount: 1200,
    foundedYear: 1987,
    history: "Family firm; bought its main rival in 2009.",
    organisation: "Three divisions; purchasing is central in Lyon.",
    marketEnvironment: "Consolidating market under price pressure from retailers.",
    revenueBand: "FROM_50M_TO_250M",
    keyProducts: "Flour blends and oven maintenance.",
  };

  it("updates every general fact, bumps the version and records before and after", async () => {
    const account = await newAccount();
    const updated = await ok("updateAccount", { id: account.id, version: 1, ...facts }, owner.token);
    expect(updated).toEqual({ id: account.id, version: 2, ...facts });
    expect(await readAccount(account.id)).toMatchObject({ version: 2, ...facts });

    const entry = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "account.update", entityId: account.dbId },
    });
    expect(entry.actorId).toBe(owner.id);
    expect(entry.before).toMatchObject({
      description: null,
      employeeCount: null,
      revenueBand: null,
      version: 1,
    });
    expect(entry.after).toMatchObject({ ...facts, version: 2 });

    // Only the fields sent change; null and blank clear; the current year is a valid founding year.
    const thisYear = new Date().getUTCFullYear();
    const cleared = await ok(
      "updateAccount",
      {
        id: account.id,
        version: 2,
        description: null,
        history: "   ",
        employeeCount: 0,
        foundedYear: thisYear,
      },
      owner.token,
    );
    expect(cleared).toEqual({
      ...facts,
      id: account.id,
      version: 3,
      description: null,
      history: null,
      employeeCount: 0,
      foundedYear: thisYear,
    });
  });

  it("refuses a change based on a stale version, with a typed conflict, and changes nothing", async () => {
    const account = await newAccount();
    await ok("updateAccount", { id: account.id, version: 1, description: "First" }, owner.token);
    const stale = await unchanged(account.dbId, () =>
      call(
        "updateAccount",
        { id: account.id, version: 1, description: "Second", keyProducts: "x" },
        teamMember.token,
      ),
    );
    expect(stale).toMatchObject({
      __typename: "VersionConflictError",
      code: "VERSION_CONFLICT",
      expectedVersion: 1,
      currentVersion: 2,
    });
    expect((await readAccount(account.id)).description).toBe("First");
  });

  it.each([
    ["foundedYear in the future", { foundedYear: new Date().getUTCFullYear() + 1 }, "input.foundedYear"],
    ["foundedYear 999", { foundedYear: 999 }, "input.foundedYear"],
    ["employeeCount -1", { employeeCount: -1 }, "input.employeeCount"],
  ])(
    "refuses %s with a ValidationError naming the field and changes nothing",
    async (_case, fields, path) => {
      const account = await newAccount();
      await ok("updateAccount", { id: account.id, version: 1, ...facts }, owner.token);
      const result = await unchanged(account.dbId, () =>
        call("updateAccount", { id: account.id, version: 2, description: "Changed", ...fields }, owner.token),
      );
      expect(result).toMatchObject({ __typename: "ValidationError", code: "VALIDATION_FAILED" });
      expect(issuePaths(result)).toEqual([path]);
      expect(await readAccount(account.id)).toMatchObject({ version: 2, ...facts });
    },
  );

  it("refuses an unknown revenue band before running anything", async () => {
    const account = await newAccount();
    const response = await unchanged(account.dbId, () =>
      app.gql(
        operations.updateAccount,
        { input: { id: account.id, version: 1, revenueBand: "BOGUS", description: "Changed" } },
        owner.token,
      ),
    );
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.message).toMatch(/Value "BOGUS" does not exist in "RevenueBand" enum/);
  });
});

describe("contacts", () => {
  it("creates, updates and clears a contact with every field, versioned and audited", async () => {
    const account = await newAccount();
    const boss = await newContact(account.id, "Bernard Boss", {
      influence: 5,
      decisionRole: "DECISION_MAKER",
    });
    const created = await ok(
      "createContact",
      {
        accountId: account.id,
        name: "  Claire Martin  ",
        title: "Head of Purchasing",
        department: "Procurement",
        decisionRole: "FINANCIAL",
        influence: 4,
        attitude: "CHAMPION",
        characterType: "DETAIL_ORIENTED",
        reportsToId: boss.id,
        email: "claire.martin@client.example",
        phone: "+33 1 23 45 67 89",
        preferredChannel: "MEETING",
        lastContactedAt: "2025-01-15T09:30:00.000Z",
      },
      teamMember.token,
    );
    expect(created).toMatchObject({
      name: "Claire Martin",
      title: "Head of Purchasing",
      department: "Procurement",
      decisionRole: "FINANCIAL",
      influence: 4,
      attitude: "CHAMPION",
      characterType: "DETAIL_ORIENTED",
      email: "claire.martin@client.example",
      phone: "+33 1 23 45 67 89",
      preferredChannel: "MEETING",
      lastContactedAt: "2025-01-15T09:30:00.000Z",
      version: 1,
      account: { id: account.id },
      reportsTo: { id: boss.id },
    });
    expect(created.pitchAdvice).toMatch(/numbers/);
    const createEntry = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "contact.create", entityId: dbId(created.id) },
    });
    expect(createEntry.entityType).toBe("Contact");
    expect(createEntry.actorId).toBe(teamMember.id);
    expect(createEntry.after).toMatchObject({ name: "Claire Martin", reportsToId: dbId(boss.id) });

    const updated = await ok(
      "updateContact",
      {
        id: created.id,
        version: 1,
        name: "Claire Martin-Durand",
        title: "Chief Procurement Officer",
        department: "Purchasing",
        decisionRole: "DECISION_MAKER",
        influence: 5,
        attitude: "SUPPORTER",
        characterType: "DOMINANT",
        email: "c.durand@client.example",
        phone: "(01) 98-76-54",
        preferredChannel: "PHONE",
        lastContactedAt: "2025-02-01T08:00:00.000Z",
      },
      owner.token,
    );
    expect(updated).toMatchObject({
      id: created.id,
      name: "Claire Martin-Durand",
      title: "Chief Procurement Officer",
      department: "Purchasing",
      decisionRole: "DECISION_MAKER",
      influence: 5,
      attitude: "SUPPORTER",
      characterType: "DOMINANT",
      email: "c.durand@client.example",
      phone: "(01) 98-76-54",
      preferredChannel: "PHONE",
      lastContactedAt: "2025-02-01T08:00:00.000Z",
      version: 2,
      reportsTo: { id: boss.id },
    });
    expect(updated.pitchAdvice).toMatch(/exclusiv/);
    const updateEntry = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "contact.update", entityId: dbId(created.id) },
    });
    expect(updateEntry.before).toMatchObject({ name: "Claire Martin", version: 1 });
    expect(updateEntry.after).toMatchObject({ name: "Claire Martin-Durand", version: 2 });

    const cleared = await ok("updateContact", {
      id: created.id,
      version: 2,
      title: null,
      department: null,
      characterType: null,
      email: null,
      phone: null,
      preferredChannel: null,
      lastContactedAt: null,
    });
    expect(cleared).toMatchObject({
      name: "Claire Martin-Durand",
      title: null,
      department: null,
      characterType: null,
      pitchAdvice: null,
      email: null,
      phone: null,
      preferredChannel: null,
      lastContactedAt: null,
      influence: 5,
      version: 3,
    });
  });

  it.each([0, 6, -1])(
    "refuses influence %i on create and on update, naming input.influence",
    async (influence) => {
      const account = await newAccount();
      const contact = await newContact(account.id, "Ivan Influence");
      const created = await unchanged(account.dbId, () =>
        call("createContact", {
          accountId: account.id,
          name: "Ian",
          decisionRole: "USER",
          influence,
          attitude: "NEUTRAL",
        }),
      );
      expect(created).toMatchObject({ __typename: "ValidationError", code: "VALIDATION_FAILED" });
      expect(issuePaths(created)).toEqual(["input.influence"]);
      const updated = await unchanged(account.dbId, () =>
        call("updateContact", { id: contact.id, version: 1, influence }),
      );
      expect(updated.__typename).toBe("ValidationError");
      expect(issuePaths(updated)).toEqual(["input.influence"]);
    },
  );

  it.each([
    ["an e-mail address without @", { email: "claire.client.example" }, "input.email"],
    ["an e-mail address with spaces", { email: "claire martin@client.example" }, "input.email"],
    ["a phone number with letters", { phone: "call me maybe" }, "input.phone"],
    ["a phone number too short", { phone: "12" }, "input.phone"],
  ])("refuses %s on create and on update", async (_case, fields, path) => {
    const account = await newAccount();
    const contact = await newContact(account.id, "Paula Phone");
    const created = await unchanged(account.dbId, () =>
      call("createContact", {
        accountId: account.id,
        name: "Eve",
        decisionRole: "USER",
        influence: 2,
        attitude: "NEUTRAL",
        ...fields,
      }),
    );
    expect(created.__typename).toBe("ValidationError");
    expect(issuePaths(created)).toEqual([path]);
    const updated = await unchanged(account.dbId, () =>
      call("updateContact", { id: contact.id, version: 1, ...fields }),
    );
    expect(updated.__typename).toBe("ValidationError");
    expect(issuePaths(updated)).toEqual([path]);
  });

  it("refuses to clear a required field on update", async () => {
    const account = await newAccount();
    const contact = await newContact(account.id, "Rita Required");
    const result = await unchanged(account.dbId, () =>
      call("updateContact", { id: contact.id, version: 1, name: null, influence: null }),
    );
    expect(result.__typename).toBe("ValidationError");
    expect(issuePaths(result)).toEqual(["input.influence", "input.name"]);
  });

  it("refuses a manager from another account", async () => {
    const account = await newAccount();
    const elsewhere = await newAccount();
    const stranger = await newContact(elsewhere.id, "Sam Stranger");
    const result = await unchanged(account.dbId, () =>
      unchanged(elsewhere.dbId, () =>
        call("createContact", {
          accountId: account.id,
          name: "Nina New",
          decisionRole: "USER",
          influence: 2,
          attitude: "NEUTRAL",
          reportsToId: stranger.id,
        }),
      ),
    );
    expect(result).toMatchObject({ __typename: "ValidationError", code: "VALIDATION_FAILED" });
    expect(issuePaths(result)).toEqual(["input.reportsToId"]);
  });

  it("answers unknown IDs with NotFoundError naming the entity", async () => {
    const account = await newAccount();
    const missingContact = globalId("Contact", "c_missing");
    const base = { name: "Nobody", decisionRole: "USER", influence: 2, attitude: "NEUTRAL" };

    const noAccount = await call("createContact", { ...base, accountId: globalId("Account", "a_missing") });
    expect(noAccount).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND", entity: "Account" });

    await unchanged(account.dbId, async () => {
      const noManager = await call("createContact", {
        ...base,
        accountId: account.id,
        reportsToId: missingContact,
      });
      expect(noManager).toMatchObject({ __typename: "NotFoundError", entity: "Contact" });
      for (const [name, input] of [
        ["updateContact", { id: missingContact, version: 1, title: "x" }],
        ["moveContact", { id: missingContact, version: 1, reportsToId: null }],
        ["removeContact", { id: missingContact, version: 1 }],
      ] as const) {
        const result = await call(name, input);
        expect(result, name).toMatchObject({
          __typename: "NotFoundError",
          code: "NOT_FOUND",
          entity: "Contact",
        });
      }
    });
  });

  it("answers malformed IDs and IDs of another type with InvalidIdError", async () => {
    const account = await newAccount();
    const contact = await newContact(account.id, "Mona Malformed");
    const base = { name: "Nobody", decisionRole: "USER", influence: 2, attitude: "NEUTRAL" };
    await unchanged(account.dbId, async () => {
      expect(await call("createContact", { ...base, accountId: "not an id" })).toMatchObject({
        __typename: "InvalidIdError",
        code: "INVALID_ID",
        value: "not an id",
        expected: "Account",
      });
      expect(
        await call("createContact", { ...base, accountId: account.id, reportsToId: account.id }),
      ).toMatchObject({ __typename: "InvalidIdError", value: account.id, expected: "Contact" });
      // A contact's ID sent as an account's, and the other way round.
      expect(await call("createContact", { ...base, accountId: contact.id })).toMatchObject({
        __typename: "InvalidIdError",
        expected: "Account",
      });
      for (const [name, input] of [
        ["updateContact", { id: account.id, version: 1, title: "x" }],
        ["moveContact", { id: "%%%", version: 1, reportsToId: null }],
        ["moveContact", { id: contact.id, version: 1, reportsToId: "garbage" }],
        ["removeContact", { id: "garbage", version: 1 }],
      ] as const) {
        const result = await call(name, input);
        expect(result, `${name} ${JSON.stringify(input)}`).toMatchObject({
          __typename: "InvalidIdError",
          code: "INVALID_ID",
          expected: "Contact",
        });
      }
    });
  });

  it("refuses an update based on a stale version and changes nothing", async () => {
    const account = await newAccount();
    const contact = await newContact(account.id, "Vic Version");
    await ok("updateContact", { id: contact.id, version: 1, title: "Buyer" }, owner.token);
    const stale = await unchanged(account.dbId, () =>
      call("updateContact", { id: contact.id, version: 1, title: "Seller", influence: 5 }, teamMember.token),
    );
    expect(stale).toMatchObject({
      __typename: "VersionConflictError",
      code: "VERSION_CONFLICT",
      expectedVersion: 1,
      currentVersion: 2,
    });
    const staleRemove = await unchanged(account.dbId, () =>
      call("removeContact", { id: contact.id, version: 1 }),
    );
    expect(staleRemove).toMatchObject({ __typename: "VersionConflictError", currentVersion: 2 });
    const row = await app.db.prisma.contact.findUniqueOrThrow({ where: { id: dbId(contact.id) } });
    expect(row).toMatchObject({ title: "Buyer", influence: 3, version: 2 });
  });

  it("removing a contact moves their reports up to their manager and unlinks their history", async () => {
    const account = await newAccount();
    const boss = await newContact(account.id, "Bea Boss", { influence: 5 });
    const middle = await newContact(account.id, "Max Middle", { influence: 4, reportsToId: boss.id });
    const first = await newContact(account.id, "Ann Report", { influence: 2, reportsToId: middle.id });
    const second = await newContact(account.id, "Bob Report", { influence: 2, reportsToId: middle.id });
    const meeting = await newEvent(account.id, "MEETING", "2025-03-01T10:00:00.000Z", {
      contactId: middle.id,
    });
    const other = await newEvent(account.id, "CALL", "2025-03-02T10:00:00.000Z", { contactId: first.id });

    const removed = await ok("removeContact", { id: middle.id, version: 1 }, owner.token);
    expect(removed).toBe(true);

    expect(await app.db.prisma.contact.findUnique({ where: { id: dbId(middle.id) } })).toBeNull();
    const chart = await readAccount(account.id);
    expect(chart.decisionUnit).toEqual([
      {
        id: boss.id,
        name: "Bea Boss",
        reports: [
          { id: first.id, name: "Ann Report", reports: [] },
          { id: second.id, name: "Bob Report", reports: [] },
        ],
      },
    ]);
    for (const report of [first, second]) {
      const row = await app.db.prisma.contact.findUniqueOrThrow({ where: { id: dbId(report.id) } });
      expect(row.reportsToId).toBe(dbId(boss.id));
    }

    // The meeting stays in the history, without the person; other links are untouched.
    const events = await app.gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on AccountEvent { id title contact { id } } } }`,
      { ids: [meeting.id, other.id] },
      admin.token,
    );
    expect(events.errors).toBeUndefined();
    expect(events.data.nodes).toEqual([
      { id: meeting.id, title: meeting.title, contact: null },
      { id: other.id, title: other.title, contact: { id: first.id } },
    ]);
    const meetingRow = await app.db.prisma.accountEvent.findUniqueOrThrow({
      where: { id: dbId(meeting.id) },
    });
    expect(meetingRow.contactId).toBeNull();

    const entry = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "contact.remove", entityId: dbId(middle.id) },
    });
    expect(entry.actorId).toBe(owner.id);
    expect(entry.before).toMatchObject({ name: "Max Middle", reportsToId: dbId(boss.id) });
    expect(entry.after).toBeNull();

    // Removing a root makes their reports roots.
    expect(await ok("removeContact", { id: boss.id, version: 1 })).toBe(true);
    const roots = (await readAccount(account.id)).decisionUnit.map((contact: any) => contact.name);
    expect(roots).toEqual(["Ann Report", "Bob Report"]);
  });
});

describe("org chart", () => {
  let account: { id: string; dbId: string };
  type Person = "ceo" | "buyer" | "cfo" | "cto" | "controller" | "analyst";
  const people = {} as Record<Person, { id: string }>;

  /** CEO → CFO → Controller → Analyst, CEO → CTO, and Buyer alone. */
  beforeAll(async () => {
    account = await newAccount();
    people.ceo = await newContact(account.id, "Chloe CEO", { influence: 5, decisionRole: "DECISION_MAKER" });
    people.buyer = await newContact(account.id, "Bruno Buyer", { influence: 4, decisionRole: "GATEKEEPER" });
    people.cfo = await newContact(account.id, "Fay CFO", { influence: 4, reportsToId: people.ceo.id });
    people.cto = await newContact(account.id, "Theo CTO", { influence: 3, reportsToId: people.ceo.id });
    people.controller = await newContact(account.id, "Carl Controller", {
      influence: 3,
      reportsToId: people.cfo.id,
    });
    people.analyst = await newContact(account.id, "Ana Analyst", {
      influence: 1,
      reportsToId: people.controller.id,
    });
  });

  async function version(contact: { id: string }) {
    return (await app.db.prisma.contact.findUniqueOrThrow({ where: { id: dbId(contact.id) } })).version;
  }

  it("lists the roots as the decision unit, most influential first, with reports nested", async () => {
    const { decisionUnit, contacts } = await readAccount(account.id);
    expect(decisionUnit).toEqual([
      {
        id: people.ceo.id,
        name: "Chloe CEO",
        reports: [
          {
            id: people.cfo.id,
            name: "Fay CFO",
            reports: [
              {
                id: people.controller.id,
                name: "Carl Controller",
                reports: [{ id: people.analyst.id, name: "Ana Analyst" }],
              },
            ],
          },
          { id: people.cto.id, name: "Theo CTO", reports: [] },
        ],
      },
      { id: people.buyer.id, name: "Bruno Buyer", reports: [] },
    ]);
    expect(contacts.map((contact: any) => contact.name)).toEqual([
      "Chloe CEO",
      "Bruno Buyer",
      "Fay CFO",
      "Carl Controller",
      "Theo CTO",
      "Ana Analyst",
    ]);
  });

  it.each([
    ["under themselves", "cfo", "cfo"],
    ["under a direct report", "cfo", "controller"],
    ["under a report of a report", "cfo", "analyst"],
    ["a root under the bottom of its own tree", "ceo", "analyst"],
  ] as [string, Person, Person][])(
    "refuses to move someone %s with ORG_CHART_CYCLE and changes nothing",
    async (_case, who, under) => {
      const contact = people[who];
      const result = await unchanged(account.dbId, () =>
        call("moveContact", { id: contact.id, version: 1, reportsToId: people[under].id }),
      );
      expect(result).toMatchObject({ __typename: "OrgChartCycleError", code: "ORG_CHART_CYCLE" });
      expect(result.message).toMatch(/report to themselves/);
    },
  );

  it("refuses a manager from another account when moving", async () => {
    const elsewhere = await newAccount();
    const stranger = await newContact(elsewhere.id, "Sid Stranger");
    const result = await unchanged(account.dbId, () =>
      call("moveContact", { id: people.buyer.id, version: 1, reportsToId: stranger.id }),
    );
    expect(result.__typename).toBe("ValidationError");
    expect(issuePaths(result)).toEqual(["input.reportsToId"]);
    const unknown = await unchanged(account.dbId, () =>
      call("moveContact", { id: people.buyer.id, version: 1, reportsToId: globalId("Contact", "c_missing") }),
    );
    expect(unknown).toMatchObject({ __typename: "NotFoundError", entity: "Contact" });
  });

  it("re-parents a contact with their reports, and versions the move", async () => {
    const moved = await ok(
      "moveContact",
      { id: people.controller.id, version: 1, reportsToId: people.buyer.id },
      teamMember.token,
    );
    expect(moved).toMatchObject({
      id: people.controller.id,
      version: 2,
      reportsTo: { id: people.buyer.id },
    });

    const stale = await unchanged(account.dbId, () =>
      call("moveContact", { id: people.controller.id, version: 1, reportsToId: people.cto.id }),
    );
    expect(stale).toMatchObject({
      __typename: "VersionConflictError",
      expectedVersion: 1,
      currentVersion: 2,
    });

    const { decisionUnit } = await readAccount(account.id);
    const buyer = decisionUnit.find((contact: any) => contact.name === "Bruno Buyer");
    expect(buyer.reports).toEqual([
      {
        id: people.controller.id,
        name: "Carl Controller",
        reports: [{ id: people.analyst.id, name: "Ana Analyst", reports: [] }],
      },
    ]);
    const cfo = decisionUnit[0].reports.find((contact: any) => contact.name === "Fay CFO");
    expect(cfo.reports).toEqual([]);

    // The CFO no longer has the controller below, so moving the CFO under the analyst is fine now.
    const underAnalyst = await ok("moveContact", {
      id: people.cfo.id,
      version: await version(people.cfo),
      reportsToId: people.analyst.id,
    });
    expect(underAnalyst.reportsTo).toEqual({ id: people.analyst.id });
    const entry = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "contact.update", entityId: dbId(people.cfo.id) },
    });
    expect(entry.before).toMatchObject({ reportsToId: dbId(people.ceo.id) });
    expect(entry.after).toMatchObject({ reportsToId: dbId(people.analyst.id) });
  });

  it("two crossed moves at the same time never make a cycle", async () => {
    // A under B and B under A, sent together: each is fine alone, together they would be a loop.
    for (let round = 0; round < 8; round += 1) {
      const crossed = await newAccount();
      const a = await newContact(crossed.id, "Ada Crossed");
      const b = await newContact(crossed.id, "Ben Crossed");
      const results = await Promise.all([
        call("moveContact", { id: a.id, version: 1, reportsToId: b.id }),
        call("moveContact", { id: b.id, version: 1, reportsToId: a.id }),
      ]);
      const kinds = results.map((result) => result.__typename);
      expect(
        kinds.filter((kind) => kind === "MutationMoveContactSuccess"),
        `round ${round}`,
      ).toHaveLength(1);
      expect(
        kinds.filter((kind) => kind !== "MutationMoveContactSuccess"),
        `round ${round}`,
      ).toEqual([expect.stringMatching(/^(OrgChartCycleError|VersionConflictError)$/)]);
      // Both people are still in the org chart: exactly one root, with the other below.
      const { decisionUnit } = await readAccount(crossed.id);
      expect(decisionUnit, `round ${round}`).toHaveLength(1);
      expect(decisionUnit[0].reports, `round ${round}`).toHaveLength(1);
    }
  });

  it("moving to null makes a root", async () => {
    const moved = await ok("moveContact", {
      id: people.analyst.id,
      version: await version(people.analyst),
      reportsToId: null,
    });
    expect(moved.reportsTo).toBeNull();
    const roots = (await readAccount(account.id)).decisionUnit.map((contact: any) => contact.name);
    expect(roots).toEqual(["Chloe CEO", "Bruno Buyer", "Ana Analyst"]);
    const analyst = (await readAccount(account.id)).decisionUnit[2];
    expect(analyst.reports).toEqual([{ id: people.cfo.id, name: "Fay CFO", reports: [] }]);
  });
});

describe("relationship history", () => {
  it("records each kind of event with the fields that belong to it, and audits it", async () => {
    const account = await newAccount();
    const contact = await newContact(account.id, "Hugo History");
    const at = "2025-06-01T10:00:00.000Z";
    const cases: [string, Record<string, unknown>][] = [
      ["DELIVERY", { value: 1250.5, currency: "eur", details: "Two pallets." }],
      ["MEETING", { contactId: contact.id }],
      ["CALL", {}],
      ["EMAIL", { contactId: contact.id }],
      ["COMPLAINT", { resolvedAt: "2025-06-03T10:00:00.000Z", resolution: "Replaced", reason: "Damaged" }],
      ["TENDER", { value: 90000, currency: "USD", winner: "Rival Ltd" }],
      ["WIN", { reason: "Best service" }],
      ["LOSS", { reason: "Price", winner: "Cheap Co" }],
      ["SURVEY", { satisfaction: "VERY_SATISFIED" }],
      ["REFERRAL", {}],
      ["RECOMMENDATION_LETTER", {}],
    ];
    for (const [kind, fields] of cases) {
      const event = await ok(
        "createAccountEvent",
        { accountId: account.id, kind, occurredAt: at, title: `A ${kind}`, ...fields },
        owner.token,
      );
      const { contactId, ...stored } = fields;
      expect(event, kind).toMatchObject({
        kind,
        occurredAt: at,
        title: `A ${kind}`,
        version: 1,
        account: { id: account.id },
        ...stored,
        ...(stored.currency ? { currency: String(stored.currency).toUpperCase() } : {}),
        contact: contactId ? { id: contact.id } : null,
      });
      const entry = await app.db.prisma.auditEntry.findFirstOrThrow({
        where: { action: "accountEvent.create", entityId: dbId(event.id) },
      });
      expect(entry.entityType).toBe("AccountEvent");
      expect(entry.after).toMatchObject({ kind, title: `A ${kind}` });
    }
    expect(await app.db.prisma.accountEvent.count({ where: { accountId: account.dbId } })).toBe(cases.length);
  });

  it.each([
    ["a survey without satisfaction", { kind: "SURVEY" }, ["input.satisfaction"]],
    ["a win without a reason", { kind: "WIN" }, ["input.reason"]],
    ["a loss without reason or winner", { kind: "LOSS" }, ["input.reason", "input.winner"]],
    ["a loss without a winner", { kind: "LOSS", reason: "Price" }, ["input.winner"]],
    ["a loss without a reason", { kind: "LOSS", winner: "Rival" }, ["input.reason"]],
    ["a value without currency", { kind: "DELIVERY", value: 100 }, ["input.currency"]],
    ["a malformed currency", { kind: "DELIVERY", value: 100, currency: "euro" }, ["input.currency"]],
    ["a negative value", { kind: "DELIVERY", value: -5, currency: "EUR" }, ["input.value"]],
    [
      "resolvedAt on a meeting",
      { kind: "MEETING", resolvedAt: "2025-06-02T00:00:00Z" },
      ["input.resolvedAt"],
    ],
    ["a resolution on a delivery", { kind: "DELIVERY", resolution: "Fixed" }, ["input.resolution"]],
    ["satisfaction on a call", { kind: "CALL", satisfaction: "SATISFIED" }, ["input.satisfaction"]],
    [
      "a complaint resolved before it occurred",
      { kind: "COMPLAINT", resolvedAt: "2025-05-31T23:59:59Z" },
      ["input.resolvedAt"],
    ],
    ["a blank title", { kind: "CALL", title: "   " }, ["input.title"]],
    [
      "an event more than a year ahead",
      { kind: "MEETING", occurredAt: "2099-01-01T00:00:00Z" },
      ["input.occurredAt"],
    ],
  ])("refuses %s with a ValidationError naming the field", async (_case, fields, paths) => {
    const account = await newAccount();
    const result = await unchanged(account.dbId, () =>
      call("createAccountEvent", {
        accountId: account.id,
        occurredAt: "2025-06-01T00:00:00Z",
        title: "Refused",
        ...fields,
      }),
    );
    expect(result).toMatchObject({ __typename: "ValidationError", code: "VALIDATION_FAILED" });
    expect(issuePaths(result)).toEqual(paths);
  });

  it("refuses a contact of another account, an unknown contact and malformed IDs", async () => {
    const account = await newAccount();
    const elsewhere = await newAccount();
    const stranger = await newContact(elsewhere.id, "Stan Stranger");
    const event = await newEvent(account.id, "CALL", "2025-06-01T00:00:00.000Z");
    const base = {
      accountId: account.id,
      kind: "MEETING",
      occurredAt: "2025-06-01T00:00:00Z",
      title: "Meet",
    };
    await unchanged(account.dbId, async () => {
      const foreign = await call("createAccountEvent", { ...base, contactId: stranger.id });
      expect(foreign.__typename).toBe("ValidationError");
      expect(issuePaths(foreign)).toEqual(["input.contactId"]);
      const relinked = await call("updateAccountEvent", { id: event.id, version: 1, contactId: stranger.id });
      expect(relinked.__typename).toBe("ValidationError");
      expect(issuePaths(relinked)).toEqual(["input.contactId"]);
      expect(
        await call("createAccountEvent", { ...base, contactId: globalId("Contact", "nope") }),
      ).toMatchObject({
        __typename: "NotFoundError",
        entity: "Contact",
      });
      expect(
        await call("createAccountEvent", { ...base, accountId: globalId("Account", "nope") }),
      ).toMatchObject({
        __typename: "NotFoundError",
        entity: "Account",
      });
      expect(await call("createAccountEvent", { ...base, accountId: "bad" })).toMatchObject({
        __typename: "InvalidIdError",
        expected: "Account",
      });
      const missing = globalId("AccountEvent", "nope");
      expect(await call("updateAccountEvent", { id: missing, version: 1, title: "x" })).toMatchObject({
        __typename: "NotFoundError",
        entity: "AccountEvent",
      });
      expect(await call("removeAccountEvent", { id: missing, version: 1 })).toMatchObject({
        __typename: "NotFoundError",
        entity: "AccountEvent",
      });
      expect(await call("removeAccountEvent", { id: account.id, version: 1 })).toMatchObject({
        __typename: "InvalidIdError",
        expected: "AccountEvent",
      });
    });
  });

  describe("reading the history", () => {
    let account: { id: string; dbId: string };
    const titles = {
      call: "CALL on 2025-01-10T09:00:00.000Z",
      meeting: "MEETING on 2025-02-10T09:00:00.000Z",
      delivery: "DELIVERY on 2025-03-10T09:00:00.000Z",
      complaint: "COMPLAINT on 2025-04-10T09:00:00.000Z",
      email: "EMAIL on 2025-05-10T09:00:00.000Z",
    };
    const newestFirst = [titles.email, titles.complaint, titles.delivery, titles.meeting, titles.call];

    const eventsQuery = `query($id: ID!, $first: Int, $after: String, $filter: AccountEventFilter) {
      account(id: $id) {
        ... on Account {
          events(first: $first, after: $after, filter: $filter) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { cursor node { id title kind occurredAt } }
          }
        }
      }
    }`;

    async function events(variables: Record<string, unknown>) {
      const response = await app.gql(eventsQuery, { id: account.id, ...variables }, viewer.token);
      expect(response.errors).toBeUndefined();
      return response.data.account.events;
    }

    beforeAll(async () => {
      account = await newAccount();
      // Created out of order, so that the order must come from occurredAt.
      await newEvent(account.id, "DELIVERY", "2025-03-10T09:00:00.000Z", { value: 10, currency: "EUR" });
      await newEvent(account.id, "EMAIL", "2025-05-10T09:00:00.000Z");
      await newEvent(account.id, "CALL", "2025-01-10T09:00:00.000Z");
      await newEvent(account.id, "COMPLAINT", "2025-04-10T09:00:00.000Z");
      await newEvent(account.id, "MEETING", "2025-02-10T09:00:00.000Z");
      // Another account's history must not show up.
      const other = await newAccount();
      await newEvent(other.id, "EMAIL", "2025-04-01T09:00:00.000Z");
    });

    it("is newest first with a total count", async () => {
      const page = await events({});
      expect(page.totalCount).toBe(5);
      expect(page.edges.map((edge: any) => edge.node.title)).toEqual(newestFirst);
      expect(page.pageInfo.hasNextPage).toBe(false);
    });

    it("pages with cursors without gaps or repeats", async () => {
      const seen: string[] = [];
      const hasNext: boolean[] = [];
      let after: string | null = null;
      for (let page = 0; page < 5; page += 1) {
        const result: any = await events({ first: 2, after });
        expect(result.totalCount).toBe(5);
        expect(result.edges.length).toBeLessThanOrEqual(2);
        seen.push(...result.edges.map((edge: any) => edge.node.title));
        hasNext.push(result.pageInfo.hasNextPage);
        if (!result.pageInfo.hasNextPage) break;
        after = result.pageInfo.endCursor;
      }
      expect(seen).toEqual(newestFirst);
      expect(hasNext).toEqual([true, true, false]);
    });

    it("filters by kinds, with the total count of the filtered history", async () => {
      const page = await events({ filter: { kinds: ["CALL", "EMAIL", "MEETING"] } });
      expect(page.edges.map((edge: any) => edge.node.title)).toEqual([
        titles.email,
        titles.meeting,
        titles.call,
      ]);
      expect(page.totalCount).toBe(3);
      const first = await events({ first: 1, filter: { kinds: ["CALL", "EMAIL", "MEETING"] } });
      expect(first.totalCount).toBe(3);
      expect(first.edges.map((edge: any) => edge.node.title)).toEqual([titles.email]);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const next = await events({
        first: 5,
        after: first.pageInfo.endCursor,
        filter: { kinds: ["CALL", "EMAIL", "MEETING"] },
      });
      expect(next.edges.map((edge: any) => edge.node.title)).toEqual([titles.meeting, titles.call]);
    });

    it("filters by dates, both bounds included", async () => {
      const between = await events({
        filter: { from: "2025-02-10T09:00:00.000Z", to: "2025-04-10T09:00:00.000Z" },
      });
      expect(between.edges.map((edge: any) => edge.node.title)).toEqual([
        titles.complaint,
        titles.delivery,
        titles.meeting,
      ]);
      expect(between.totalCount).toBe(3);
      const from = await events({ filter: { from: "2025-04-10T09:00:00.001Z" } });
      expect(from.edges.map((edge: any) => edge.node.title)).toEqual([titles.email]);
      expect(from.totalCount).toBe(1);
      const to = await events({ filter: { to: "2025-02-10T08:59:59.999Z" } });
      expect(to.edges.map((edge: any) => edge.node.title)).toEqual([titles.call]);
      const both = await events({ filter: { kinds: ["DELIVERY", "EMAIL"], from: "2025-03-01T00:00:00Z" } });
      expect(both.edges.map((edge: any) => edge.node.title)).toEqual([titles.email, titles.delivery]);
      expect(both.totalCount).toBe(2);
    });
  });

  it("resolves a complaint with its version, and refuses stale or rule-breaking updates", async () => {
    const account = await newAccount();
    const complaint = await newEvent(account.id, "COMPLAINT", "2025-05-01T08:00:00.000Z", { reason: "Late" });
    expect(complaint.resolvedAt).toBeNull();

    const resolved = await ok(
      "updateAccountEvent",
      { id: complaint.id, version: 1, resolvedAt: "2025-05-03T08:00:00.000Z", resolution: "Credit note" },
      teamMember.token,
    );
    expect(resolved).toMatchObject({
      id: complaint.id,
      kind: "COMPLAINT",
      title: complaint.title,
      reason: "Late",
      resolvedAt: "2025-05-03T08:00:00.000Z",
      resolution: "Credit note",
      version: 2,
    });
    const entry = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "accountEvent.update", entityId: dbId(complaint.id) },
    });
    expect(entry.actorId).toBe(teamMember.id);
    expect(entry.before).toMatchObject({ resolvedAt: null, version: 1 });
    expect(entry.after).toMatchObject({
      resolvedAt: "2025-05-03T08:00:00.000Z",
      resolution: "Credit note",
      version: 2,
    });

    await unchanged(account.dbId, async () => {
      const stale = await call("updateAccountEvent", { id: complaint.id, version: 1, title: "Again" });
      expect(stale).toMatchObject({
        __typename: "VersionConflictError",
        expectedVersion: 1,
        currentVersion: 2,
      });
      // The rules apply to the event as it would be stored.
      const early = await call("updateAccountEvent", {
        id: complaint.id,
        version: 2,
        occurredAt: "2025-05-04T00:00:00Z",
      });
      expect(early.__typename).toBe("ValidationError");
      expect(issuePaths(early)).toEqual(["input.resolvedAt"]);
      const toSurvey = await call("updateAccountEvent", { id: complaint.id, version: 2, kind: "SURVEY" });
      expect(toSurvey.__typename).toBe("ValidationError");
      expect(issuePaths(toSurvey)).toEqual([
        "input.reason",
        "input.resolution",
        "input.resolvedAt",
        "input.satisfaction",
      ]);
      const noWinner = await call("updateAccountEvent", {
        id: complaint.id,
        version: 2,
        kind: "LOSS",
        resolvedAt: null,
        resolution: null,
      });
      expect(noWinner.__typename).toBe("ValidationError");
      expect(issuePaths(noWinner)).toEqual(["input.winner"]);
    });

    // Reopening: null clears.
    const reopened = await ok("updateAccountEvent", {
      id: complaint.id,
      version: 2,
      resolvedAt: null,
      resolution: null,
    });
    expect(reopened).toMatchObject({ resolvedAt: null, resolution: null, reason: "Late", version: 3 });
  });

  it("removes an event with its version and audits it", async () => {
    const account = await newAccount();
    const event = await newEvent(account.id, "TENDER", "2025-04-01T00:00:00.000Z", {
      value: 5000,
      currency: "EUR",
    });
    await ok("updateAccountEvent", { id: event.id, version: 1, details: "Round two" });
    const stale = await unchanged(account.dbId, () =>
      call("removeAccountEvent", { id: event.id, version: 1 }),
    );
    expect(stale).toMatchObject({
      __typename: "VersionConflictError",
      expectedVersion: 1,
      currentVersion: 2,
    });

    expect(await ok("removeAccountEvent", { id: event.id, version: 2 }, owner.token)).toBe(true);
    expect(await app.db.prisma.accountEvent.findUnique({ where: { id: dbId(event.id) } })).toBeNull();
    const entry = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "accountEvent.remove", entityId: dbId(event.id) },
    });
    expect(entry.actorId).toBe(owner.id);
    expect(entry.before).toMatchObject({ kind: "TENDER", details: "Round two", version: 2 });
    expect(entry.after).toBeNull();
    const again = await call("removeAccountEvent", { id: event.id, version: 2 });
    expect(again).toMatchObject({ __typename: "NotFoundError", entity: "AccountEvent" });
  });
});

describe("competitors", () => {
  it("creates, updates, clears and removes a competitor, versioned and audited", async () => {
    const account = await newAccount();
    const created = await ok(
      "createCompetitor",
      {
        accountId: account.id,
        name: "  Rival Mills  ",
        offering: "Cheaper flour",
        position: "INCUMBENT",
        threatLevel: "HIGH",
        strengths: "Price",
        weaknesses: "Service",
        lastSeenAt: "2025-04-01T00:00:00.000Z",
      },
      owner.token,
    );
    expect(created).toMatchObject({
      name: "Rival Mills",
      offering: "Cheaper flour",
      position: "INCUMBENT",
      threatLevel: "HIGH",
      strengths: "Price",
      weaknesses: "Service",
      lastSeenAt: "2025-04-01T00:00:00.000Z",
      version: 1,
      account: { id: account.id },
    });

    const updated = await ok(
      "updateCompetitor",
      { id: created.id, version: 1, position: "FORMER", threatLevel: "LOW", weaknesses: null, offering: "" },
      teamMember.token,
    );
    expect(updated).toMatchObject({
      name: "Rival Mills",
      position: "FORMER",
      threatLevel: "LOW",
      strengths: "Price",
      weaknesses: null,
      offering: null,
      version: 2,
    });

    await unchanged(account.dbId, async () => {
      const stale = await call("updateCompetitor", { id: created.id, version: 1, name: "Renamed" });
      expect(stale).toMatchObject({
        __typename: "VersionConflictError",
        expectedVersion: 1,
        currentVersion: 2,
      });
      const staleRemove = await call("removeCompetitor", { id: created.id, version: 1 });
      expect(staleRemove).toMatchObject({ __typename: "VersionConflictError", currentVersion: 2 });
    });

    expect(await ok("removeCompetitor", { id: created.id, version: 2 })).toBe(true);
    expect(await app.db.prisma.competitor.findUnique({ where: { id: dbId(created.id) } })).toBeNull();

    const entries = await app.db.prisma.auditEntry.findMany({ where: { entityId: dbId(created.id) } });
    expect(entries.map((entry) => entry.action).sort()).toEqual([
      "competitor.create",
      "competitor.remove",
      "competitor.update",
    ]);
    const byAction = Object.fromEntries(entries.map((entry) => [entry.action, entry]));
    expect(byAction["competitor.create"]!.after).toMatchObject({ name: "Rival Mills", threatLevel: "HIGH" });
    expect(byAction["competitor.update"]!.before).toMatchObject({ threatLevel: "HIGH", version: 1 });
    expect(byAction["competitor.update"]!.after).toMatchObject({ threatLevel: "LOW", version: 2 });
    expect(byAction["competitor.remove"]!.before).toMatchObject({ position: "FORMER", version: 2 });
    expect(byAction["competitor.update"]!.actorId).toBe(teamMember.id);
  });

  it("validates the input and answers unknown or malformed IDs", async () => {
    const account = await newAccount();
    const competitor = await newCompetitor(account.id, "Valid Rival");
    const base = { accountId: account.id, name: "X", position: "NICHE", threatLevel: "LOW" };
    await unchanged(account.dbId, async () => {
      for (const [fields, paths] of [
        [{ name: "  " }, ["input.name"]],
        [{ lastSeenAt: "2099-01-01T00:00:00Z" }, ["input.lastSeenAt"]],
        [{ strengths: "x".repeat(2001) }, ["input.strengths"]],
      ] as const) {
        const result = await call("createCompetitor", { ...base, ...fields });
        expect(result.__typename, JSON.stringify(fields)).toBe("ValidationError");
        expect(issuePaths(result)).toEqual(paths);
      }
      const cleared = await call("updateCompetitor", {
        id: competitor.id,
        version: 1,
        name: null,
        threatLevel: null,
      });
      expect(cleared.__typename).toBe("ValidationError");
      expect(issuePaths(cleared)).toEqual(["input.name", "input.threatLevel"]);

      expect(
        await call("createCompetitor", { ...base, accountId: globalId("Account", "nope") }),
      ).toMatchObject({
        __typename: "NotFoundError",
        entity: "Account",
      });
      expect(
        await call("updateCompetitor", { id: globalId("Competitor", "nope"), version: 1 }),
      ).toMatchObject({
        __typename: "NotFoundError",
        entity: "Competitor",
      });
      expect(await call("removeCompetitor", { id: "zzz", version: 1 })).toMatchObject({
        __typename: "InvalidIdError",
        expected: "Competitor",
      });

      const bogus = await app.gql(
        operations.createCompetitor,
        { input: { ...base, threatLevel: "EXTREME" } },
        admin.token,
      );
      expect(bogus.status).toBe(400);
      expect(bogus.errors?.[0]?.message).toMatch(/Value "EXTREME" does not exist in "ThreatLevel" enum/);
    });
  });

  it("lists an account's competitors by threat, the highest first", async () => {
    const account = await newAccount();
    for (const [name, threatLevel] of [
      ["Alpha Low", "LOW"],
      ["Zulu High", "HIGH"],
      ["Mike Medium", "MEDIUM"],
      ["Bravo High", "HIGH"],
      ["Charlie Low", "LOW"],
    ]) {
      await newCompetitor(account.id, name!, { threatLevel });
    }
    const { competitors } = await readAccount(account.id, readKey.secret);
    expect(competitors).toEqual([
      { name: "Bravo High", threatLevel: "HIGH" },
      { name: "Zulu High", threatLevel: "HIGH" },
      { name: "Mike Medium", threatLevel: "MEDIUM" },
      { name: "Alpha Low", threatLevel: "LOW" },
      { name: "Charlie Low", threatLevel: "LOW" },
    ]);
  });
});

describe("accounts filters", () => {
  const cutoff = "2025-03-01T00:00:00.000Z";
  const listQuery = `query($filter: AccountFilter) {
    accounts(filter: $filter, first: 100) { totalCount edges { node { name } } }
  }`;

  async function names(filter: Record<string, unknown>) {
    const response = await app.gql(listQuery, { filter: { search: "Filt ", ...filter } }, viewer.token);
    expect(response.errors).toBeUndefined();
    const found = response.data.accounts.edges.map((edge: any) => edge.node.name);
    expect(response.data.accounts.totalCount).toBe(found.length);
    return found;
  }

  beforeAll(async () => {
    const make = (name: string, industry: string, region: string) => newAccount({ name, industry, region });
    const open = await make("Filt Open", "Chemicals", "EMEA");
    await newEvent(open.id, "COMPLAINT", "2025-05-01T00:00:00Z");
    await newEvent(open.id, "MEETING", "2025-02-28T23:59:59Z"); // just before the cut-off

    const resolved = await make("Filt Resolved", "Chemicals", "APAC");
    await newEvent(resolved.id, "COMPLAINT", "2025-01-01T00:00:00Z", {
      resolvedAt: "2025-01-05T00:00:00Z",
      resolution: "Refund",
    });
    await newEvent(resolved.id, "CALL", "2024-06-01T00:00:00Z");

    const reopenedLater = await make("Filt Both", "Retail", "EMEA");
    await newEvent(reopenedLater.id, "COMPLAINT", "2025-01-01T00:00:00Z", {
      resolvedAt: "2025-01-02T00:00:00Z",
    });
    await newEvent(reopenedLater.id, "COMPLAINT", "2025-02-01T00:00:00Z");
    await newEvent(reopenedLater.id, "MEETING", "2025-06-01T00:00:00Z");

    await make("Filt Quiet", "Retail", "EMEA");

    const delivered = await make("Filt Delivered", "Retail", "AMER");
    await newEvent(delivered.id, "DELIVERY", "2025-06-01T00:00:00Z", { value: 10, currency: "EUR" });
    await newEvent(delivered.id, "WIN", "2025-06-02T00:00:00Z", { reason: "Price" });
    await newEvent(delivered.id, "EMAIL", "2024-12-01T00:00:00Z");

    const emailed = await make("Filt Emailed", "Chemicals", "AMER");
    await newEvent(emailed.id, "EMAIL", cutoff); // on the day counts as contact

    const called = await make("Filt Called", "Chemicals", "EMEA");
    await newEvent(called.id, "CALL", "2025-04-01T00:00:00Z");

    // A complaint on an archived account does not list it.
    const archived = await make("Filt Archived", "Chemicals", "EMEA");
    await newEvent(archived.id, "COMPLAINT", "2025-05-01T00:00:00Z");
    await ok("archiveAccount", { id: archived.id, version: 1 });
  });

  it("filters by industry and by region", async () => {
    expect(await names({ industry: "Chemicals" })).toEqual([
      "Filt Called",
      "Filt Emailed",
      "Filt Open",
      "Filt Resolved",
    ]);
    expect(await names({ region: "EMEA" })).toEqual(["Filt Both", "Filt Called", "Filt Open", "Filt Quiet"]);
    expect(await names({ industry: "Chemicals", region: "EMEA" })).toEqual(["Filt Called", "Filt Open"]);
    expect(await names({ industry: "Mining" })).toEqual([]);
  });

  it("filters by open complaint: a resolved complaint is not open", async () => {
    expect(await names({ hasOpenComplaint: true })).toEqual(["Filt Both", "Filt Open"]);
    expect(await names({ hasOpenComplaint: false })).toEqual([
      "Filt Called",
      "Filt Delivered",
      "Filt Emailed",
      "Filt Quiet",
      "Filt Resolved",
    ]);
    expect(await names({ hasOpenComplaint: true, includeArchived: true })).toEqual([
      "Filt Archived",
      "Filt Both",
      "Filt Open",
    ]);
  });

  it("filters by last contact: no meeting, call or e-mail on or after the date, never-contacted included", async () => {
    expect(await names({ lastContactBefore: cutoff })).toEqual([
      "Filt Delivered",
      "Filt Open",
      "Filt Quiet",
      "Filt Resolved",
    ]);
    expect(await names({ lastContactBefore: "2025-03-01T00:00:00.001Z" })).toEqual([
      "Filt Delivered",
      "Filt Emailed",
      "Filt Open",
      "Filt Quiet",
      "Filt Resolved",
    ]);
    expect(await names({ lastContactBefore: cutoff, hasOpenComplaint: true })).toEqual(["Filt Open"]);
    expect(await names({ lastContactBefore: cutoff, industry: "Retail" })).toEqual([
      "Filt Delivered",
      "Filt Quiet",
    ]);
  });
});

describe("permissions", () => {
  interface Target {
    account: { id: string; dbId: string };
    contact: { id: string };
    manager: { id: string };
    event: { id: string };
    competitor: { id: string };
  }

  async function newTarget(): Promise<Target> {
    const account = await newAccount();
    const manager = await newContact(account.id, "Mia Manager", { influence: 5 });
    const contact = await newContact(account.id, "Carl Contact");
    const event = await newEvent(account.id, "MEETING", "2025-05-01T00:00:00Z");
    const competitor = await newCompetitor(account.id, "Target Rival");
    return { account, contact, manager, event, competitor };
  }

  /** Every dossier write, in an order in which each succeeds for someone allowed to write. */
  function writes(target: Target, accountVersion = 1): [Operation, Record<string, unknown>][] {
    const accountId = target.account.id;
    return [
      [
        "updateAccount",
        { id: accountId, version: accountVersion, description: "Rewritten", employeeCount: 10 },
      ],
      [
        "createContact",
        { accountId, name: "New Person", decisionRole: "TECHNICAL", influence: 2, attitude: "SCEPTIC" },
      ],
      ["updateContact", { id: target.contact.id, version: 1, title: "Changed" }],
      ["moveContact", { id: target.contact.id, version: 2, reportsToId: target.manager.id }],
      ["removeContact", { id: target.contact.id, version: 3 }],
      ["createAccountEvent", { accountId, kind: "CALL", occurredAt: "2025-05-02T00:00:00Z", title: "Call" }],
      ["updateAccountEvent", { id: target.event.id, version: 1, details: "Changed" }],
      ["removeAccountEvent", { id: target.event.id, version: 2 }],
      ["createCompetitor", { accountId, name: "New Rival", position: "NEWCOMER", threatLevel: "LOW" }],
      ["updateCompetitor", { id: target.competitor.id, version: 1, strengths: "Changed" }],
      ["removeCompetitor", { id: target.competitor.id, version: 2 }],
    ];
  }

  /** The same writes for callers who are refused: nothing changes, so every record stays at version 1. */
  function firstVersionWrites(target: Target, accountVersion = 1): [Operation, Record<string, unknown>][] {
    return writes(target, accountVersion).map(([name, input]) => [
      name,
      "version" in input && name !== "updateAccount" ? { ...input, version: 1 } : input,
    ]);
  }

  const refused = {
    "a manager not on the team": () => outsider.token,
    "a viewer": () => viewer.token,
    "an API key with only read": () => readKey.secret,
  };

  it.each(Object.keys(refused) as (keyof typeof refused)[])(
    "%s gets ForbiddenError for every dossier write and nothing changes",
    async (who) => {
      const target = await newTarget();
      const token = refused[who]();
      for (const [name, input] of firstVersionWrites(target)) {
        const result = await unchanged(target.account.dbId, () => call(name, input, token));
        expect(result, `${who}: ${name}`).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
      }
      // They may still read the dossier.
      const account = await readAccount(target.account.id, token);
      expect(account.contacts).toHaveLength(2);
      expect(account.competitors).toEqual([{ name: "Target Rival", threatLevel: "MEDIUM" }]);
    },
  );

  const allowed = {
    "the owner": () => ({ token: owner.token, actorId: owner.id }),
    "a team member": () => ({ token: teamMember.token, actorId: teamMember.id }),
    "an admin": () => ({ token: admin.token, actorId: admin.id }),
    "an API key with write": () => ({ token: writeKey.secret, actorId: writeKey.id }),
  };

  it.each(Object.keys(allowed) as (keyof typeof allowed)[])(
    "%s may make every dossier write, each audited under their name",
    async (who) => {
      const target = await newTarget();
      const { token, actorId } = allowed[who]();
      const earlier = new Set(
        (await app.db.prisma.auditEntry.findMany({ select: { id: true } })).map((e) => e.id),
      );
      for (const [name, input] of writes(target)) {
        const result = await call(name, input, token);
        expect(result.__typename, `${who}: ${name} ${JSON.stringify(result)}`).toBe(successType(name));
      }
      const state = await dossierState(target.account.dbId);
      expect(state.account).toMatchObject({ description: "Rewritten", employeeCount: 10, version: 2 });
      expect(state.contacts.map((contact) => contact.name).sort()).toEqual(["Mia Manager", "New Person"]);
      expect(state.events.map((event) => event.title)).toEqual(["Call"]);
      expect(state.competitors.map((competitor) => competitor.name)).toEqual(["New Rival"]);

      const mine = (await app.db.prisma.auditEntry.findMany()).filter((entry) => !earlier.has(entry.id));
      expect(new Set(mine.map((entry) => entry.actorId))).toEqual(new Set([actorId]));
      expect(mine.map((entry) => entry.action).sort()).toEqual(
        [
          "account.update",
          "contact.create",
          "contact.update",
          "contact.update",
          "contact.remove",
          "accountEvent.create",
          "accountEvent.update",
          "accountEvent.remove",
          "competitor.create",
          "competitor.update",
          "competitor.remove",
        ].sort(),
      );
      expect(new Set(mine.map((entry) => entry.actorKind))).toEqual(
        new Set([who === "an API key with write" ? "API_KEY" : "USER"]),
      );
    },
  );

  it("refuses every dossier write to an archived account with AccountArchivedError", async () => {
    const target = await newTarget();
    await ok("archiveAccount", { id: target.account.id, version: 1 });
    for (const token of [admin.token, owner.token, writeKey.secret]) {
      for (const [name, input] of firstVersionWrites(target, 2)) {
        const result = await unchanged(target.account.dbId, () => call(name, input, token));
        expect(result, name).toMatchObject({ __typename: "AccountArchivedError", code: "ACCOUNT_ARCHIVED" });
      }
    }
  });
});

describe("audit", () => {
  it("a refused write records nothing", async () => {
    const account = await newAccount();
    const contact = await newContact(account.id, "Nora Nothing");
    const before = await app.db.prisma.auditEntry.count();
    const results = [
      await call("updateContact", { id: contact.id, version: 5, title: "Stale" }),
      await call("updateContact", { id: contact.id, version: 1, email: "nope" }),
      await call("moveContact", { id: contact.id, version: 1, reportsToId: contact.id }),
      await call("removeContact", { id: contact.id, version: 1 }, viewer.token),
      await call("createAccountEvent", {
        accountId: account.id,
        kind: "WIN",
        occurredAt: "2025-01-01T00:00:00Z",
        title: "Won",
      }),
      await call("createCompetitor", {
        accountId: account.id,
        name: "",
        position: "NICHE",
        threatLevel: "LOW",
      }),
    ];
    expect(results.map((result) => result.__typename)).toEqual([
      "VersionConflictError",
      "ValidationError",
      "OrgChartCycleError",
      "ForbiddenError",
      "ValidationError",
      "ValidationError",
    ]);
    expect(await app.db.prisma.auditEntry.count()).toBe(before);
  });

  /** Makes the database refuse audit entries with this action, so that the audit write fails. */
  async function refuseAudit<T>(action: string, run: () => Promise<T>): Promise<T> {
    const prisma = app.db.prisma;
    if (app.db.kind === "postgres") {
      await prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION kam_test_refuse_audit() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
          IF NEW.action = '${action}' THEN RAISE EXCEPTION 'audit refused by the test'; END IF;
          RETURN NEW;
        END $$`);
      await prisma.$executeRawUnsafe(
        `CREATE TRIGGER kam_test_refuse_audit BEFORE INSERT ON "AuditEntry" FOR EACH ROW EXECUTE FUNCTION kam_test_refuse_audit()`,
      );
    } else {
      await prisma.$executeRawUnsafe(`CREATE TRIGGER kam_test_refuse_audit BEFORE INSERT ON "AuditEntry"
        WHEN NEW.action = '${action}' BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END`);
    }
    try {
      return await run();
    } finally {
      if (app.db.kind === "postgres") {
        await prisma.$executeRawUnsafe(`DROP TRIGGER kam_test_refuse_audit ON "AuditEntry"`);
        await prisma.$executeRawUnsafe(`DROP FUNCTION kam_test_refuse_audit()`);
      } else {
        await prisma.$executeRawUnsafe(`DROP TRIGGER kam_test_refuse_audit`);
      }
    }
  }

  it.each([
    ["contact.create", "createContact"],
    ["contact.update", "updateContact"],
    ["contact.remove", "removeContact"],
    ["accountEvent.create", "createAccountEvent"],
    ["accountEvent.update", "updateAccountEvent"],
    ["accountEvent.remove", "removeAccountEvent"],
    ["competitor.create", "createCompetitor"],
    ["competitor.update", "updateCompetitor"],
    ["competitor.remove", "removeCompetitor"],
  ] as const)(
    "writes %s in the same transaction: when the audit entry fails, %s changes nothing",
    async (action, name) => {
      const account = await newAccount();
      const manager = await newContact(account.id, "Ulla Upper");
      const contact = await newContact(account.id, "Tina Transaction", { reportsToId: manager.id });
      await newContact(account.id, "Rob Report", { reportsToId: contact.id });
      const event = await newEvent(account.id, "MEETING", "2025-05-01T00:00:00Z", { contactId: contact.id });
      const competitor = await newCompetitor(account.id, "Atomic Rival");
      const inputs: Record<string, Record<string, unknown>> = {
        createContact: {
          accountId: account.id,
          name: "Never",
          decisionRole: "USER",
          influence: 1,
          attitude: "NEUTRAL",
        },
        updateContact: { id: contact.id, version: 1, title: "Never" },
        removeContact: { id: contact.id, version: 1 },
        createAccountEvent: {
          accountId: account.id,
          kind: "CALL",
          occurredAt: "2025-05-02T00:00:00Z",
          title: "Never",
        },
        updateAccountEvent: { id: event.id, version: 1, title: "Never" },
        removeAccountEvent: { id: event.id, version: 1 },
        createCompetitor: { accountId: account.id, name: "Never", position: "NICHE", threatLevel: "LOW" },
        updateCompetitor: { id: competitor.id, version: 1, name: "Never" },
        removeCompetitor: { id: competitor.id, version: 1 },
      };
      // The server logs the unexpected error; keep it out of the test output but check it is the audit write.
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      let response: Awaited<ReturnType<TestApp["gql"]>>;
      try {
        response = await unchanged(account.dbId, () =>
          refuseAudit(action, () => app.gql(operations[name], { input: inputs[name] }, owner.token)),
        );
        expect(logged.mock.calls.map((args) => args.map(String).join(" ")).join("\n")).toMatch(
          // PostgreSQL passes the trigger's message on; Prisma names the failed call on SQLite.
          /audit refused by the test|auditEntry\.create/,
        );
      } finally {
        logged.mockRestore();
      }
      expect(response.errors?.[0]?.message).toBe("Unexpected error.");
      expect(response.data).toBeNull();

      // With the audit working again, the same write goes through and is recorded.
      const recorded = () => app.db.prisma.auditEntry.count({ where: { action, actorId: owner.id } });
      const before = await recorded();
      const result = await call(name, inputs[name]!, owner.token);
      expect(result.__typename).toBe(successType(name));
      expect(await recorded()).toBe(before + 1);
    },
  );
});
