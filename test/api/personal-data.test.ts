import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiKeyScope } from "../../api/auth/principal.ts";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

/**
 * The GDPR side of the decision-making unit: who sees personal facts, the log of every read,
 * writing them, birthdays, subject access (export), erasure and the retention review.
 */

let app: TestApp;

type Person = "account owner" | "team member" | "other manager" | "viewer" | "admin";
type Key = "read key" | "read+personal_data key" | "read+write key" | "personal_data+write key";
type Who = Person | Key;

interface Caller {
  token: string;
  actorKind: "USER" | "API_KEY";
  /** The user's or the key's database ID, as the read log records it. */
  actorId: string;
}

const callers = {} as Record<Who, Caller>;

const keyScopes: Record<Key, ApiKeyScope[]> = {
  "read key": ["read"],
  "read+personal_data key": ["read", "personal_data"],
  "read+write key": ["read", "write"],
  "personal_data+write key": ["personal_data", "write"],
};

const token = (who: Who) => callers[who].token;
const userId = (who: Person) => callers[who].actorId;

// ---------------------------------------------------------------------------------------------
// Fixtures, written straight to the database unless the test is about the audit trail.

let counter = 0;

/** An account owned by `owner` (default: the account owner) with the given team. */
async function makeAccount(label: string, owner: Person = "account owner", team: Person[] = ["team member"]) {
  counter += 1;
  const name = `${label} ${counter}`;
  const account = await app.db.prisma.account.create({
    data: {
      name,
      sortName: name.toLowerCase(),
      industry: "Chemicals",
      ownerId: userId(owner),
      team: { create: team.map((member) => ({ userId: userId(member) })) },
    },
  });
  return { dbId: account.id, id: globalId("Account", account.id), name };
}

async function makeContact(
  accountDbId: string,
  name: string,
  extra: { reportsToId?: string; influence?: number; title?: string } = {},
) {
  const contact = await app.db.prisma.contact.create({
    data: {
      accountId: accountDbId,
      name,
      decisionRole: "INFLUENCER",
      influence: extra.influence ?? 3,
      attitude: "NEUTRAL",
      title: extra.title ?? "Buyer",
      reportsToId: extra.reportsToId ?? null,
    },
  });
  return { dbId: contact.id, id: globalId("Contact", contact.id), name };
}

const collectedAt = "2024-03-01T00:00:00.000Z";

function factsInput(contactDbId: string, facts: Record<string, unknown> = {}) {
  return {
    contactId: globalId("Contact", contactDbId),
    source: "Met at the Hanover trade fair",
    collectedAt,
    legalBasis: "LEGITIMATE_INTEREST",
    ...facts,
  };
}

const factFields =
  "birthday hobbies family values notes source collectedAt legalBasis subjectInformedAt confirmedAt";

const setFactsMutation = `mutation($input: SetPersonalFactsInput!) {
  setContactPersonalFacts(input: $input) {
    __typename
    ... on MutationSetContactPersonalFactsSuccess { data { id name personalFactsRestricted personalFacts { ${factFields} } } }
    ... on Error { code message }
    ... on ValidationError { issues { path message } }
  }
}`;

/** Sets facts as the admin, selecting nothing personal so that no read is logged. */
async function setFacts(contactDbId: string, facts: Record<string, unknown> = {}) {
  const response = await app.gql(
    `mutation($input: SetPersonalFactsInput!) {
      setContactPersonalFacts(input: $input) {
        __typename
        ... on Error { code message }
        ... on ValidationError { issues { path message } }
      }
    }`,
    { input: factsInput(contactDbId, facts) },
    token("admin"),
  );
  expect(response.errors).toBeUndefined();
  expect(response.data.setContactPersonalFacts.__typename).toBe("MutationSetContactPersonalFactsSuccess");
}

function readsOf(contactDbIds: string[]) {
  return app.db.prisma.personalDataAccess.findMany({
    where: { contactId: { in: contactDbIds } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
}

const accountWithContactsQuery = `query($id: ID!) {
  account(id: $id) {
    __typename
    ... on Account {
      id name industry
      contacts { id name title influence personalFactsRestricted personalFacts { ${factFields} } }
    }
    ... on Error { code message }
  }
}`;

const contactNodeQuery = `query($id: ID!) {
  node(id: $id) {
    ... on Contact {
      id name email phone erasedAt decisionRole influence attitude version
      reportsTo { id } reports { id } personalFactsRestricted personalFacts { birthday hobbies }
    }
  }
}`;

beforeAll(async () => {
  app = await createTestApp();
  for (const [who, role] of [
    ["account owner", "MANAGER"],
    ["team member", "MANAGER"],
    ["other manager", "MANAGER"],
    ["viewer", "VIEWER"],
    ["admin", "ADMIN"],
  ] as const) {
    const user = await app.createUser(role, who);
    callers[who] = { token: user.token, actorKind: "USER", actorId: user.id };
  }
  for (const [who, scopes] of Object.entries(keyScopes) as [Key, ApiKeyScope[]][]) {
    const key = await app.createKey(scopes, who);
    callers[who] = { token: key.secret, actorKind: "API_KEY", actorId: key.id };
  }
});
afterAll(() => app.close());

// ---------------------------------------------------------------------------------------------

describe("who sees personal facts", () => {
  let account: Awaited<ReturnType<typeof makeAccount>>;
  let helga: Awaited<ReturnType<typeof makeContact>>;
  let piotr: Awaited<ReturnType<typeof makeContact>>;

  beforeAll(async () => {
    account = await makeAccount("Matrix Holdings");
    helga = await makeContact(account.dbId, "Helga Facts", { influence: 5, title: "CFO" });
    piotr = await makeContact(account.dbId, "Piotr Plain", { influence: 2, title: "Engineer" });
    await setFacts(helga.dbId, {
      birthday: "1975-04-12",
      hobbies: "Sailing and orchid growing",
      family: "Two daughters",
      values: "Punctuality",
      notes: "Prefers calls after 10",
      subjectInformedAt: "2024-03-05T00:00:00.000Z",
    });
  });

  // Spelled out rather than computed, so that a change to the rules has to change this table.
  const matrix: { who: Who; sees: boolean }[] = [
    { who: "account owner", sees: true },
    { who: "team member", sees: true },
    { who: "other manager", sees: false },
    { who: "viewer", sees: false },
    { who: "admin", sees: true },
    { who: "read key", sees: false },
    { who: "read+personal_data key", sees: true },
  ];

  it.each(matrix)(
    "$who: sees the facts = $sees, and the rest of the query is intact",
    async ({ who, sees }) => {
      const before = await readsOf([helga.dbId, piotr.dbId]);
      const response = await app.gql(accountWithContactsQuery, { id: account.id }, token(who));

      expect(response.errors).toBeUndefined();
      expect(response.data.account).toMatchObject({
        __typename: "Account",
        id: account.id,
        name: account.name,
        industry: "Chemicals",
      });
      const [first, second] = response.data.account.contacts;
      expect(first).toMatchObject({ id: helga.id, name: "Helga Facts", title: "CFO", influence: 5 });
      expect(second).toMatchObject({ id: piotr.id, name: "Piotr Plain", title: "Engineer", influence: 2 });
      expect(first.personalFactsRestricted).toBe(!sees);
      expect(second.personalFactsRestricted).toBe(!sees);
      // Piotr has no facts: null either way.
      expect(second.personalFacts).toBeNull();

      const after = await readsOf([helga.dbId, piotr.dbId]);
      const newReads = after.filter((row) => !before.some((old) => old.id === row.id));
      if (sees) {
        expect(first.personalFacts).toEqual({
          birthday: "1975-04-12",
          hobbies: "Sailing and orchid growing",
          family: "Two daughters",
          values: "Punctuality",
          notes: "Prefers calls after 10",
          source: "Met at the Hanover trade fair",
          collectedAt,
          legalBasis: "LEGITIMATE_INTEREST",
          subjectInformedAt: "2024-03-05T00:00:00.000Z",
          confirmedAt: expect.any(String),
        });
        expect(newReads).toHaveLength(1);
        expect(newReads[0]).toMatchObject({
          contactId: helga.dbId,
          purpose: "read",
          actorKind: callers[who].actorKind,
          actorId: callers[who].actorId,
        });
      } else {
        expect(first.personalFacts).toBeNull();
        expect(newReads).toEqual([]);
      }
    },
  );
});

describe("the read log", () => {
  let account: Awaited<ReturnType<typeof makeAccount>>;
  let boss: Awaited<ReturnType<typeof makeContact>>;
  let deputy: Awaited<ReturnType<typeof makeContact>>;
  let plain: Awaited<ReturnType<typeof makeContact>>;

  beforeAll(async () => {
    account = await makeAccount("Logged Reads");
    boss = await makeContact(account.dbId, "Bea Boss", { influence: 5 });
    deputy = await makeContact(account.dbId, "Dan Deputy", { influence: 4, reportsToId: boss.dbId });
    plain = await makeContact(account.dbId, "Nora Nofacts", { influence: 1 });
    await setFacts(boss.dbId, { hobbies: "Chess" });
    await setFacts(deputy.dbId, { hobbies: "Cycling" });
  });

  it("writes one row per contact shown, none for contacts without facts", async () => {
    const ids = [boss.dbId, deputy.dbId, plain.dbId];
    expect(await readsOf(ids)).toEqual([]);
    const response = await app.gql(accountWithContactsQuery, { id: account.id }, token("team member"));
    expect(response.errors).toBeUndefined();
    expect(
      response.data.account.contacts.map((contact: any) => contact.personalFacts?.hobbies ?? null),
    ).toEqual(["Chess", "Cycling", null]);
    const reads = await readsOf(ids);
    expect(reads.map((row) => row.contactId).sort()).toEqual([boss.dbId, deputy.dbId].sort());
    for (const row of reads) {
      expect(row).toMatchObject({ actorKind: "USER", actorId: userId("team member"), purpose: "read" });
    }
  });

  it("writes one row per contact even when the response shows the contact twice", async () => {
    const before = await readsOf([boss.dbId, deputy.dbId]);
    const response = await app.gql(
      `query($id: ID!, $boss: ID!) {
        account(id: $id) {
          ... on Account {
            contacts { id personalFacts { hobbies } }
            decisionUnit { id personalFacts { hobbies } reports { id personalFacts { hobbies } } }
          }
        }
        node(id: $boss) { ... on Contact { personalFacts { hobbies } } }
      }`,
      { id: account.id, boss: boss.id },
      token("admin"),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.account.decisionUnit[0].personalFacts.hobbies).toBe("Chess");
    expect(response.data.account.decisionUnit[0].reports[0].personalFacts.hobbies).toBe("Cycling");
    expect(response.data.node.personalFacts.hobbies).toBe("Chess");
    const after = await readsOf([boss.dbId, deputy.dbId]);
    const newReads = after.filter((row) => !before.some((old) => old.id === row.id));
    expect(newReads.map((row) => row.contactId).sort()).toEqual([boss.dbId, deputy.dbId].sort());
  });

  it("writes nothing for a query that does not select personalFacts", async () => {
    const before = await readsOf([boss.dbId, deputy.dbId]);
    const response = await app.gql(
      `query($id: ID!) { account(id: $id) { ... on Account { contacts { name personalFactsRestricted } } } }`,
      { id: account.id },
      token("admin"),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.account.contacts).toEqual([
      { name: "Bea Boss", personalFactsRestricted: false },
      { name: "Dan Deputy", personalFactsRestricted: false },
      { name: "Nora Nofacts", personalFactsRestricted: false },
    ]);
    expect(await readsOf([boss.dbId, deputy.dbId])).toHaveLength(before.length);
  });

  it("writes nothing for a caller who may not see the facts", async () => {
    const before = await readsOf([boss.dbId, deputy.dbId]);
    for (const who of ["other manager", "viewer", "read key"] as const) {
      const response = await app.gql(accountWithContactsQuery, { id: account.id }, token(who));
      expect(response.errors).toBeUndefined();
      expect(response.data.account.contacts.map((contact: any) => contact.personalFacts)).toEqual([
        null,
        null,
        null,
      ]);
    }
    expect(await readsOf([boss.dbId, deputy.dbId])).toHaveLength(before.length);
  });

  const logQuery = `query($contactId: ID) {
    personalDataAccessLog(contactId: $contactId, first: 50) {
      totalCount
      edges { node { actorKind actorLabel purpose at contact { id name } } }
    }
  }`;

  it("lists the reads of one contact for an admin, newest first", async () => {
    await app.gql(contactNodeQuery, { id: boss.id }, token("read+personal_data key"));
    const response = await app.gql(logQuery, { contactId: boss.id }, token("admin"));
    expect(response.errors).toBeUndefined();
    const log = response.data.personalDataAccessLog;
    const rows = await readsOf([boss.dbId]);
    expect(log.totalCount).toBe(rows.length);
    expect(log.totalCount).toBeGreaterThanOrEqual(3);
    const nodes = log.edges.map((edge: any) => edge.node);
    expect(nodes.every((node: any) => node.contact.id === boss.id && node.purpose === "read")).toBe(true);
    const ats = nodes.map((node: any) => node.at);
    expect(ats).toEqual([...ats].sort().reverse());
    expect(nodes[0]).toMatchObject({
      actorKind: "API_KEY",
      actorLabel: expect.stringContaining("read+personal_data key"),
    });
    const admin = await app.db.prisma.user.findUniqueOrThrow({ where: { id: userId("admin") } });
    const team = await app.db.prisma.user.findUniqueOrThrow({ where: { id: userId("team member") } });
    const labels = nodes.map((node: any) => node.actorLabel);
    expect(labels).toContain(admin.email);
    expect(labels).toContain(team.email);
  });

  it.each(["account owner", "viewer", "read+personal_data key"] as const)(
    "refuses the log to %s with FORBIDDEN",
    async (who) => {
      const response = await app.gql(logQuery, { contactId: boss.id }, token(who));
      expect(response.data?.personalDataAccessLog ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    },
  );
});

describe("setContactPersonalFacts", () => {
  let account: Awaited<ReturnType<typeof makeAccount>>;

  beforeAll(async () => {
    account = await makeAccount("Fact Writers");
  });

  it.each(["account owner", "team member", "admin", "personal_data+write key"] as const)(
    "%s may record facts",
    async (who) => {
      const contact = await makeContact(account.dbId, `Written by ${who}`);
      const response = await app.gql(
        setFactsMutation,
        { input: factsInput(contact.dbId, { birthday: "1980-07-01", hobbies: "Rowing" }) },
        token(who),
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.setContactPersonalFacts).toMatchObject({
        __typename: "MutationSetContactPersonalFactsSuccess",
        data: {
          id: contact.id,
          personalFactsRestricted: false,
          personalFacts: { birthday: "1980-07-01", hobbies: "Rowing", legalBasis: "LEGITIMATE_INTEREST" },
        },
      });
      const stored = await app.db.prisma.contactPersonalFacts.findUniqueOrThrow({
        where: { contactId: contact.dbId },
      });
      expect(stored).toMatchObject({ birthYear: 1980, birthMonth: 7, birthDay: 1, hobbies: "Rowing" });
    },
  );

  it.each(["viewer", "other manager", "read key", "read+write key", "read+personal_data key"] as const)(
    "%s is refused with ForbiddenError and nothing is stored",
    async (who) => {
      const contact = await makeContact(account.dbId, `Refused for ${who}`);
      const response = await app.gql(
        setFactsMutation,
        { input: factsInput(contact.dbId, { hobbies: "Secret hobby" }) },
        token(who),
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.setContactPersonalFacts).toMatchObject({
        __typename: "ForbiddenError",
        code: "FORBIDDEN",
      });
      expect(
        await app.db.prisma.contactPersonalFacts.findUnique({ where: { contactId: contact.dbId } }),
      ).toBeNull();
      expect(
        await app.db.prisma.auditEntry.count({
          where: { entityId: contact.dbId, action: "contact.personalFacts.set" },
        }),
      ).toBe(0);
    },
  );

  it("does not let a refused caller replace facts already held", async () => {
    const contact = await makeContact(account.dbId, "Already Known");
    await setFacts(contact.dbId, { hobbies: "Original hobby" });
    const response = await app.gql(
      setFactsMutation,
      { input: factsInput(contact.dbId, { hobbies: "Overwritten" }) },
      token("other manager"),
    );
    expect(response.data.setContactPersonalFacts.__typename).toBe("ForbiddenError");
    const stored = await app.db.prisma.contactPersonalFacts.findUniqueOrThrow({
      where: { contactId: contact.dbId },
    });
    expect(stored.hobbies).toBe("Original hobby");
  });

  it.each(["1975-02-30", "tomorrow", "2999-01-01", "1975-13-01", "1850-05-05"])(
    "rejects the birthday %s with a ValidationError on input.birthday",
    async (birthday) => {
      const contact = await makeContact(account.dbId, `Bad birthday ${birthday}`);
      const response = await app.gql(
        setFactsMutation,
        { input: factsInput(contact.dbId, { birthday }) },
        token("admin"),
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.setContactPersonalFacts).toMatchObject({
        __typename: "ValidationError",
        code: "VALIDATION_FAILED",
      });
      expect(response.data.setContactPersonalFacts.issues.map((issue: any) => issue.path)).toEqual([
        "input.birthday",
      ]);
      expect(
        await app.db.prisma.contactPersonalFacts.findUnique({ where: { contactId: contact.dbId } }),
      ).toBeNull();
    },
  );

  it("accepts a birthday without the year and reads it back as --MM-DD", async () => {
    const contact = await makeContact(account.dbId, "No Year");
    const response = await app.gql(
      setFactsMutation,
      { input: factsInput(contact.dbId, { birthday: "--04-12" }) },
      token("account owner"),
    );
    expect(response.data.setContactPersonalFacts.data.personalFacts.birthday).toBe("--04-12");
    const stored = await app.db.prisma.contactPersonalFacts.findUniqueOrThrow({
      where: { contactId: contact.dbId },
    });
    expect(stored).toMatchObject({ birthYear: null, birthMonth: 4, birthDay: 12 });
    const read = await app.gql(contactNodeQuery, { id: contact.id }, token("admin"));
    expect(read.data.node.personalFacts.birthday).toBe("--04-12");
  });

  it("requires a non-blank source and a past collection date", async () => {
    const contact = await makeContact(account.dbId, "Needs Source");
    const blank = await app.gql(
      setFactsMutation,
      { input: factsInput(contact.dbId, { source: "   " }) },
      token("admin"),
    );
    expect(blank.data.setContactPersonalFacts.__typename).toBe("ValidationError");
    expect(blank.data.setContactPersonalFacts.issues.map((issue: any) => issue.path)).toEqual([
      "input.source",
    ]);

    const future = await app.gql(
      setFactsMutation,
      {
        input: factsInput(contact.dbId, { collectedAt: new Date(Date.now() + 7 * 86_400_000).toISOString() }),
      },
      token("admin"),
    );
    expect(future.data.setContactPersonalFacts.__typename).toBe("ValidationError");
    expect(future.data.setContactPersonalFacts.issues.map((issue: any) => issue.path)).toEqual([
      "input.collectedAt",
    ]);
    expect(
      await app.db.prisma.contactPersonalFacts.findUnique({ where: { contactId: contact.dbId } }),
    ).toBeNull();
  });

  it.each(["source", "collectedAt", "legalBasis"])("refuses input without %s", async (field) => {
    const contact = await makeContact(account.dbId, `Missing ${field}`);
    const input: Record<string, unknown> = factsInput(contact.dbId, { hobbies: "Tennis" });
    delete input[field];
    const response = await app.gql(setFactsMutation, { input }, token("admin"));
    expect(response.data?.setContactPersonalFacts ?? null).toBeNull();
    expect(response.errors?.[0]?.message).toContain(field);
    expect(
      await app.db.prisma.contactPersonalFacts.findUnique({ where: { contactId: contact.dbId } }),
    ).toBeNull();
  });

  it("audits which facts are held, never their values", async () => {
    const contact = await makeContact(account.dbId, "Audited Facts");
    const response = await app.gql(
      setFactsMutation,
      {
        input: factsInput(contact.dbId, {
          birthday: "1966-09-23",
          hobbies: "Restoring Bugatti engines",
          notes: "Allergic to walnuts",
          legalBasis: "CONSENT",
        }),
      },
      token("team member"),
    );
    expect(response.data.setContactPersonalFacts.__typename).toBe("MutationSetContactPersonalFactsSuccess");
    const entries = await app.db.prisma.auditEntry.findMany({
      where: { entityId: contact.dbId, action: "contact.personalFacts.set" },
    });
    expect(entries).toHaveLength(1);
    const entry = entries[0]!;
    expect(entry.actorId).toBe(userId("team member"));
    expect((entry.after as any).factsHeld).toEqual(["birthday", "hobbies", "notes"]);
    expect(entry.after).toMatchObject({ source: "Met at the Hanover trade fair", legalBasis: "CONSENT" });
    const json = JSON.stringify(entry).toLowerCase();
    expect(json).not.toContain("bugatti");
    expect(json).not.toContain("walnuts");
    expect(json).not.toContain("1966");
    expect(json).not.toContain("09-23");
  });
});

// ---------------------------------------------------------------------------------------------

const dayMs = 86_400_000;

function utcToday() {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

function isLeap(year: number) {
  return new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
}

/** The next occurrence of a month and day from today (29 February falls on the 28th otherwise). */
function expectedNext(month: number, day: number) {
  const today = utcToday();
  const year = new Date(today).getUTCFullYear();
  for (const candidateYear of [year, year + 1, year + 2]) {
    const effective = month === 2 && day === 29 && !isLeap(candidateYear) ? 28 : day;
    const candidate = Date.UTC(candidateYear, month - 1, effective);
    if (candidate >= today)
      return { date: new Date(candidate), daysUntil: Math.round((candidate - today) / dayMs) };
  }
  throw new Error("unreachable");
}

/** Month and day `offset` days from today, with the given year of birth or none. */
function birthdayIn(offset: number, year: number | null) {
  const date = new Date(utcToday() + offset * dayMs);
  const monthDay = date.toISOString().slice(5, 10);
  return {
    birthday: year ? `${year}-${monthDay}` : `--${monthDay}`,
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
  };
}

describe("upcomingBirthdays", () => {
  const query = `query($days: Int!) {
    upcomingBirthdays(days: $days) {
      date daysUntil turning
      contact { id name account { id owner { id } team { id } } }
    }
  }`;

  interface Planned {
    name: string;
    offset: number;
    /** Leap years, so that 29 February is always a valid birthday. */
    year: number | null;
    own: boolean;
    dbId?: string;
    id?: string;
  }

  const planned: Planned[] = [
    { name: "Bday Today", offset: 0, year: null, own: true },
    { name: "Bday Soon", offset: 3, year: 1980, own: true },
    { name: "Bday Other", offset: 10, year: 1984, own: false },
    { name: "Bday Later", offset: 40, year: 1992, own: true },
    { name: "Bday Passed", offset: -2, year: 1988, own: true },
  ];
  const byName = (name: string) => planned.find((entry) => entry.name === name)!;

  function expected(entry: Planned) {
    const { month, day } = birthdayIn(entry.offset, entry.year);
    const next = expectedNext(month, day);
    return {
      date: next.date.toISOString().slice(0, 10),
      daysUntil: next.daysUntil,
      turning: entry.year ? next.date.getUTCFullYear() - entry.year : null,
      contact: { id: entry.id, name: entry.name },
    };
  }

  /** The results about the contacts planned here, in the order given. */
  function mine(result: any[]) {
    return result
      .filter((row) => planned.some((entry) => entry.id === row.contact.id))
      .map((row) => ({
        date: row.date,
        daysUntil: row.daysUntil,
        turning: row.turning,
        contact: { id: row.contact.id, name: row.contact.name },
      }));
  }

  beforeAll(async () => {
    const ours = await makeAccount("Birthday Owners");
    const theirs = await makeAccount("Birthday Others", "other manager", []);
    for (const entry of planned) {
      const contact = await makeContact(entry.own ? ours.dbId : theirs.dbId, entry.name);
      entry.dbId = contact.dbId;
      entry.id = contact.id;
      await setFacts(contact.dbId, { birthday: birthdayIn(entry.offset, entry.year).birthday });
    }
  });

  it("gives the admin every birthday in the window, soonest first, with the age when the year is known", async () => {
    const response = await app.gql(query, { days: 30 }, token("admin"));
    expect(response.errors).toBeUndefined();
    const result = response.data.upcomingBirthdays;
    expect(mine(result)).toEqual(
      ["Bday Today", "Bday Soon", "Bday Other"].map((name) => expected(byName(name))),
    );
    expect(mine(result)[0]).toMatchObject({ daysUntil: 0, turning: null });
    expect(mine(result)[1]).toMatchObject({ daysUntil: 3 });
    const days = result.map((row: any) => row.daysUntil);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    expect(days.every((value: number) => value >= 0 && value <= 30)).toBe(true);
  });

  it("widens with the window and wraps past the year end", async () => {
    const sixty = await app.gql(query, { days: 60 }, token("admin"));
    expect(mine(sixty.data.upcomingBirthdays).map((row) => row.contact.name)).toEqual([
      "Bday Today",
      "Bday Soon",
      "Bday Other",
      "Bday Later",
    ]);
    expect(mine(sixty.data.upcomingBirthdays)[3]).toEqual(expected(byName("Bday Later")));

    const year = await app.gql(query, { days: 366 }, token("admin"));
    const passed = mine(year.data.upcomingBirthdays).find((row) => row.contact.name === "Bday Passed");
    expect(passed).toEqual(expected(byName("Bday Passed")));
    // Two days ago: the next one is next year, 363 to 365 days away.
    expect(passed!.daysUntil).toBeGreaterThanOrEqual(362);
    expect(passed!.date > new Date(utcToday()).toISOString().slice(0, 10)).toBe(true);
    expect(Number(passed!.date.slice(0, 4))).toBe(new Date(utcToday()).getUTCFullYear() + 1);
  });

  it.each(["account owner", "team member"] as const)(
    "gives %s only the contacts of accounts they own or work on",
    async (who) => {
      const response = await app.gql(query, { days: 30 }, token(who));
      expect(response.errors).toBeUndefined();
      const result = response.data.upcomingBirthdays;
      expect(mine(result)).toEqual(["Bday Today", "Bday Soon"].map((name) => expected(byName(name))));
      for (const row of result) {
        const account = row.contact.account;
        const onIt =
          account.owner?.id === globalId("User", userId(who)) ||
          account.team.some((member: any) => member.id === globalId("User", userId(who)));
        expect(onIt).toBe(true);
      }
    },
  );

  it("gives a key with personal_data every account's birthdays", async () => {
    const response = await app.gql(query, { days: 30 }, token("read+personal_data key"));
    expect(response.errors).toBeUndefined();
    expect(mine(response.data.upcomingBirthdays)).toEqual(
      ["Bday Today", "Bday Soon", "Bday Other"].map((name) => expected(byName(name))),
    );
  });

  it("gives the other manager only their own account's birthdays", async () => {
    const response = await app.gql(query, { days: 30 }, token("other manager"));
    expect(mine(response.data.upcomingBirthdays)).toEqual([expected(byName("Bday Other"))]);
  });

  it.each(["viewer", "read key"] as const)("gives %s an empty list", async (who) => {
    const response = await app.gql(query, { days: 366 }, token(who));
    expect(response.errors).toBeUndefined();
    expect(response.data.upcomingBirthdays).toEqual([]);
  });

  it("records a 'birthdays' read for each contact listed, and only those", async () => {
    const ids = planned.map((entry) => entry.dbId!);
    const before = await app.db.prisma.personalDataAccess.count({
      where: { contactId: { in: ids }, purpose: "birthdays", actorId: userId("team member") },
    });
    const response = await app.gql(query, { days: 30 }, token("team member"));
    const listed = mine(response.data.upcomingBirthdays).map((row) => row.contact.id);
    expect(listed).toHaveLength(2);
    const rows = await app.db.prisma.personalDataAccess.findMany({
      where: { contactId: { in: ids }, purpose: "birthdays", actorId: userId("team member") },
    });
    expect(rows).toHaveLength(before + 2);
    expect(new Set(rows.map((row) => globalId("Contact", row.contactId)))).toEqual(new Set(listed));

    const viewerBefore = await app.db.prisma.personalDataAccess.count({
      where: { actorId: userId("viewer") },
    });
    await app.gql(query, { days: 366 }, token("viewer"));
    expect(await app.db.prisma.personalDataAccess.count({ where: { actorId: userId("viewer") } })).toBe(
      viewerBefore,
    );
  });

  it.each([-1, 367])("refuses a window of %i days", async (days) => {
    const response = await app.gql(query, { days }, token("admin"));
    expect(response.data?.upcomingBirthdays ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
  });
});

// ---------------------------------------------------------------------------------------------

const createContactMutation = `mutation($input: CreateContactInput!) {
  createContact(input: $input) {
    __typename
    ... on MutationCreateContactSuccess { data { id version } }
    ... on Error { code message }
  }
}`;

const updateContactMutation = `mutation($input: UpdateContactInput!) {
  updateContact(input: $input) {
    __typename
    ... on MutationUpdateContactSuccess { data { id name title version } }
    ... on Error { code message }
  }
}`;

const createEventMutation = `mutation($input: CreateAccountEventInput!) {
  createAccountEvent(input: $input) {
    __typename
    ... on MutationCreateAccountEventSuccess { data { id title } }
    ... on Error { code message }
  }
}`;

async function createContactViaApi(input: Record<string, unknown>) {
  const response = await app.gql(
    createContactMutation,
    { input: { decisionRole: "INFLUENCER", influence: 3, attitude: "NEUTRAL", ...input } },
    token("admin"),
  );
  expect(response.errors).toBeUndefined();
  expect(response.data.createContact.__typename).toBe("MutationCreateContactSuccess");
  const id: string = response.data.createContact.data.id;
  return { id, dbId: Buffer.from(id, "base64").toString().split(":")[1]! };
}

async function updateContactViaApi(input: Record<string, unknown>, who: Who = "admin") {
  const response = await app.gql(updateContactMutation, { input }, token(who));
  expect(response.errors).toBeUndefined();
  return response.data.updateContact;
}

async function createEvent(input: Record<string, unknown>) {
  const response = await app.gql(
    createEventMutation,
    { input: { kind: "MEETING", occurredAt: "2025-01-10T10:00:00.000Z", ...input } },
    token("admin"),
  );
  expect(response.errors).toBeUndefined();
  expect(response.data.createAccountEvent.__typename).toBe("MutationCreateAccountEventSuccess");
  return response.data.createAccountEvent.data;
}

describe("exportContactData", () => {
  const query = `query($contactId: ID!) {
    exportContactData(contactId: $contactId) {
      __typename
      ... on QueryExportContactDataSuccess {
        data { exportedAt person personalFacts historyEvents auditEntries accessLog }
      }
      ... on Error { code message }
      ... on NotFoundError { entity }
    }
  }`;

  let account: Awaited<ReturnType<typeof makeAccount>>;
  let erin: { id: string; dbId: string };

  beforeAll(async () => {
    account = await makeAccount("Export Partners");
    erin = await createContactViaApi({
      accountId: account.id,
      name: "Erin Export",
      email: "erin.export@partners.test",
    });
    await updateContactViaApi({ id: erin.id, version: 1, title: "Head of Logistics" });
    await setFacts(erin.dbId, { birthday: "1970-06-15", hobbies: "Beekeeping" });
    await createEvent({ accountId: account.id, contactId: erin.id, title: "Quarterly review with Erin" });
    await createEvent({ accountId: account.id, title: "Unrelated delivery", kind: "DELIVERY" });
    await app.gql(contactNodeQuery, { id: erin.id }, token("account owner"));
  });

  it("gives the admin everything held about the person and logs the export", async () => {
    const adminExports = { contactId: erin.dbId, purpose: "export", actorId: userId("admin") };
    const exportsBefore = await app.db.prisma.personalDataAccess.count({ where: adminExports });
    const response = await app.gql(query, { contactId: erin.id }, token("admin"));
    expect(response.errors).toBeUndefined();
    const result = response.data.exportContactData;
    expect(result.__typename).toBe("QueryExportContactDataSuccess");
    const data = result.data;
    expect(data.person).toMatchObject({
      id: erin.dbId,
      name: "Erin Export",
      email: "erin.export@partners.test",
      title: "Head of Logistics",
      account: { id: account.dbId, name: account.name },
    });
    expect(data.personalFacts).toMatchObject({ birthday: "1970-06-15", hobbies: "Beekeeping" });
    expect(data.historyEvents.map((event: any) => event.title)).toEqual(["Quarterly review with Erin"]);
    expect(data.auditEntries.map((entry: any) => entry.action).sort()).toEqual(
      ["contact.create", "contact.personalFacts.set", "contact.update"].sort(),
    );
    expect(data.auditEntries.every((entry: any) => entry.entityId === erin.dbId)).toBe(true);
    expect(data.accessLog.length).toBeGreaterThanOrEqual(1);
    expect(data.accessLog.every((row: any) => row.contactId === erin.dbId)).toBe(true);
    expect(data.accessLog.map((row: any) => row.purpose)).toContain("read");

    const exports = await app.db.prisma.personalDataAccess.findMany({ where: adminExports });
    expect(exports).toHaveLength(exportsBefore + 1);
    expect(exports.every((row) => row.actorKind === "USER")).toBe(true);
  });

  it("lets a key with personal_data and write export", async () => {
    const response = await app.gql(query, { contactId: erin.id }, token("personal_data+write key"));
    expect(response.data.exportContactData.__typename).toBe("QueryExportContactDataSuccess");
    expect(response.data.exportContactData.data.person.name).toBe("Erin Export");
  });

  it.each(["account owner", "viewer", "read+personal_data key"] as const)(
    "refuses %s with ForbiddenError and logs nothing",
    async (who) => {
      const before = await app.db.prisma.personalDataAccess.count({ where: { contactId: erin.dbId } });
      const response = await app.gql(query, { contactId: erin.id }, token(who));
      expect(response.errors).toBeUndefined();
      expect(response.data.exportContactData).toMatchObject({
        __typename: "ForbiddenError",
        code: "FORBIDDEN",
      });
      expect(await app.db.prisma.personalDataAccess.count({ where: { contactId: erin.dbId } })).toBe(before);
    },
  );

  it("answers NotFoundError for an unknown contact", async () => {
    const response = await app.gql(
      query,
      { contactId: globalId("Contact", "no-such-contact") },
      token("admin"),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.exportContactData).toMatchObject({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      entity: "Contact",
    });
  });
});

// ---------------------------------------------------------------------------------------------

/** Every table's name, on either database. */
async function tableNames(): Promise<string[]> {
  const sql =
    app.db.kind === "postgres"
      ? `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`
      : `SELECT name FROM sqlite_master WHERE type = 'table'`;
  const rows = await app.db.prisma.$queryRawUnsafe<{ name: string }[]>(sql);
  return rows.map((row) => row.name);
}

/** Where, across every column of every table, any of the needles occurs in any case: "Table: needle". */
async function mentionsEverywhere(needles: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const table of await tableNames()) {
    const rows = await app.db.prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${table}"`);
    const text = JSON.stringify(rows, (_key, value) =>
      typeof value === "bigint" ? value.toString() : value,
    ).toLowerCase();
    for (const needle of needles) {
      if (text.includes(needle.toLowerCase())) hits.push(`${table}: ${needle}`);
    }
  }
  return hits;
}

describe("eraseContactPersonalData", () => {
  const eraseMutation = `mutation($contactId: ID!) {
    eraseContactPersonalData(contactId: $contactId) {
      __typename
      ... on MutationEraseContactPersonalDataSuccess {
        data { id name email phone erasedAt decisionRole influence attitude reportsTo { id } reports { id } personalFacts { hobbies } }
      }
      ... on Error { code message }
    }
  }`;

  const name = "Zorblax Quentworth";
  const email = "zq.7731@quentmail-erasure.test";
  const phone = "+44 20 7946 0958";

  let account: Awaited<ReturnType<typeof makeAccount>>;
  let boss: { id: string; dbId: string };
  let subject: { id: string; dbId: string };
  let report: { id: string; dbId: string };
  let eventsBefore: number;

  beforeAll(async () => {
    account = await makeAccount("Erasure Industries");
    boss = await createContactViaApi({ accountId: account.id, name: "Bernadette Boss", influence: 5 });
    subject = await createContactViaApi({
      accountId: account.id,
      name,
      email,
      phone,
      decisionRole: "FINANCIAL",
      influence: 4,
      attitude: "SCEPTIC",
      reportsToId: boss.id,
    });
    report = await createContactViaApi({
      accountId: account.id,
      name: "Rita Report",
      reportsToId: subject.id,
    });

    // An update, so that the audit log holds before and after snapshots with the name.
    const updated = await updateContactViaApi({ id: subject.id, version: 1, title: "Head of Procurement" });
    expect(updated.__typename).toBe("MutationUpdateContactSuccess");

    await setFacts(subject.dbId, {
      birthday: "1971-11-02",
      hobbies: "Collecting vintage typewriters",
      notes: `${name} prefers morning meetings`,
    });
    await setFacts(report.dbId, {
      notes: `Works closely with ${name.toUpperCase()}; ask zorblax quentworth first`,
    });
    // Score evidence and Three P notes are free text too.
    const criterion = await app.db.prisma.scoringCriterion.create({
      data: { key: "solvency", label: "Solvency" },
    });
    const scoreText = {
      evidence: `${name} confirmed the budget`,
      authorKind: "SYSTEM" as const,
      authorLabel: "test",
    };
    const cell = { accountId: account.dbId, criterionId: criterion.id };
    await app.db.prisma.score.create({ data: { ...cell, ...scoreText, value: 8, scoredAt: new Date() } });
    await app.db.prisma.scoreChange.create({
      data: { ...cell, ...scoreText, value: 8, changedAt: new Date() },
    });
    await app.db.prisma.prospectQualification.create({
      data: { accountId: account.dbId, authority: "YES", authorityNote: `Signed off by ${email}` },
    });

    await createEvent({
      accountId: account.id,
      contactId: subject.id,
      title: `Lunch with ${name}`,
      details: `ZORBLAX QUENTWORTH asked about pricing; zorblax quentworth will write from ${email} or call ${phone}.`,
    });
    await createEvent({
      accountId: account.id,
      kind: "TENDER",
      title: "Tender briefing",
      details: `The panel was chaired by zorblax Quentworth.`,
    });

    const competitor = await app.gql(
      `mutation($input: CreateCompetitorInput!) {
        createCompetitor(input: $input) { __typename ... on Error { code message } }
      }`,
      {
        input: {
          accountId: account.id,
          name: "Rival Supplies",
          position: "CHALLENGER",
          threatLevel: "HIGH",
          strengths: `Golf partner of ${name.toLowerCase()}`,
        },
      },
      token("admin"),
    );
    expect(competitor.data.createCompetitor.__typename).toBe("MutationCreateCompetitorSuccess");

    const dossier = await app.gql(
      `mutation($input: UpdateAccountInput!) { updateAccount(input: $input) { __typename ... on Error { code message } } }`,
      { input: { id: account.id, version: 1, history: `In 2019 ${name} joined as CFO.` } },
      token("admin"),
    );
    expect(dossier.data.updateAccount.__typename).toBe("MutationUpdateAccountSuccess");

    // Reads and an export, so that the access log holds rows about the person.
    await app.gql(contactNodeQuery, { id: subject.id }, token("account owner"));
    eventsBefore = await app.db.prisma.accountEvent.count({ where: { accountId: account.dbId } });
    expect(eventsBefore).toBe(2);
  });

  it("is refused to a manager, even the account owner, and changes nothing", async () => {
    for (const who of ["account owner", "team member", "read+personal_data key", "read+write key"] as const) {
      const response = await app.gql(eraseMutation, { contactId: subject.id }, token(who));
      expect(response.errors).toBeUndefined();
      expect(response.data.eraseContactPersonalData).toMatchObject({
        __typename: "ForbiddenError",
        code: "FORBIDDEN",
      });
    }
    const row = await app.db.prisma.contact.findUniqueOrThrow({ where: { id: subject.dbId } });
    expect(row).toMatchObject({ name, email, phone, erasedAt: null });
  });

  it("finds the person in several tables before erasure (the search can fail)", async () => {
    const hits = await mentionsEverywhere([name, email, phone]);
    for (const table of [
      "Contact",
      "ContactPersonalFacts",
      "AccountEvent",
      "Competitor",
      "Account",
      "AuditEntry",
    ]) {
      expect(hits).toContain(`${table}: ${name}`);
    }
    expect(hits).toContain(`Contact: ${email}`);
    expect(hits).toContain(`AuditEntry: ${email}`);
    expect(hits).toContain(`Contact: ${phone}`);
  });

  it("erases the person everywhere and keeps the business record", async () => {
    const response = await app.gql(eraseMutation, { contactId: subject.id }, token("admin"));
    expect(response.errors).toBeUndefined();
    const result = response.data.eraseContactPersonalData;
    expect(result.__typename).toBe("MutationEraseContactPersonalDataSuccess");
    expect(result.data).toMatchObject({
      id: subject.id,
      name: "Erased contact",
      email: null,
      phone: null,
      erasedAt: expect.any(String),
      decisionRole: "FINANCIAL",
      influence: 4,
      attitude: "SCEPTIC",
      reportsTo: { id: boss.id },
      reports: [{ id: report.id }],
      personalFacts: null,
    });

    const row = await app.db.prisma.contact.findUniqueOrThrow({ where: { id: subject.dbId } });
    expect(row).toMatchObject({
      name: "Erased contact",
      email: null,
      phone: null,
      decisionRole: "FINANCIAL",
      influence: 4,
      reportsToId: boss.dbId,
    });
    expect(row.erasedAt).toBeInstanceOf(Date);
    expect(
      await app.db.prisma.contactPersonalFacts.findUnique({ where: { contactId: subject.dbId } }),
    ).toBeNull();
    const rita = await app.db.prisma.contact.findUniqueOrThrow({ where: { id: report.dbId } });
    expect(rita.reportsToId).toBe(subject.dbId);
    expect(rita.name).toBe("Rita Report");

    expect(await app.db.prisma.accountEvent.count({ where: { accountId: account.dbId } })).toBe(eventsBefore);
    expect(await app.db.prisma.accountEvent.count({ where: { contactId: subject.dbId } })).toBe(1);
    // Another contact's facts survive, with the mention scrubbed.
    const ritaFacts = await app.db.prisma.contactPersonalFacts.findUniqueOrThrow({
      where: { contactId: report.dbId },
    });
    expect(ritaFacts.notes).toContain("Works closely with");

    expect(await mentionsEverywhere([name, email, phone])).toEqual([]);

    const audit = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { entityId: subject.dbId, action: "contact.personalData.erase" },
    });
    expect(audit.actorId).toBe(userId("admin"));
  });

  it("shows the erased contact in the org chart of its account", async () => {
    const response = await app.gql(
      `query($id: ID!) { account(id: $id) { ... on Account { decisionUnit { name reports { name reports { name } } } } } }`,
      { id: account.id },
      token("admin"),
    );
    expect(response.data.account.decisionUnit).toEqual([
      { name: "Bernadette Boss", reports: [{ name: "Erased contact", reports: [{ name: "Rita Report" }] }] },
    ]);
  });

  it("refuses to record personal facts or identifying fields again", async () => {
    const facts = await app.gql(
      setFactsMutation,
      { input: factsInput(subject.dbId, { hobbies: "Typewriters again" }) },
      token("admin"),
    );
    expect(facts.data.setContactPersonalFacts).toMatchObject({
      __typename: "PersonalDataErasedError",
      code: "PERSONAL_DATA_ERASED",
    });
    expect(
      await app.db.prisma.contactPersonalFacts.findUnique({ where: { contactId: subject.dbId } }),
    ).toBeNull();

    const { version } = await app.db.prisma.contact.findUniqueOrThrow({ where: { id: subject.dbId } });
    for (const change of [{ name }, { email: "new.address@quentmail-erasure.test" }]) {
      const update = await updateContactViaApi({ id: subject.id, version, ...change });
      expect(update).toMatchObject({ __typename: "PersonalDataErasedError", code: "PERSONAL_DATA_ERASED" });
    }
    const row = await app.db.prisma.contact.findUniqueOrThrow({ where: { id: subject.dbId } });
    expect(row).toMatchObject({ name: "Erased contact", email: null, version });
  });

  it("lets a key with personal_data and write erase", async () => {
    const other = await createContactViaApi({
      accountId: account.id,
      name: "Keyerased Personson",
      email: "kp.4410@quentmail-erasure.test",
    });
    await setFacts(other.dbId, { hobbies: "Origami" });
    const response = await app.gql(eraseMutation, { contactId: other.id }, token("personal_data+write key"));
    expect(response.data.eraseContactPersonalData).toMatchObject({
      __typename: "MutationEraseContactPersonalDataSuccess",
      data: { name: "Erased contact", email: null, erasedAt: expect.any(String), personalFacts: null },
    });
    const audit = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { entityId: other.dbId, action: "contact.personalData.erase" },
    });
    expect(audit).toMatchObject({
      actorKind: "API_KEY",
      actorId: callers["personal_data+write key"].actorId,
    });
    expect(await mentionsEverywhere(["Keyerased Personson", "kp.4410@quentmail-erasure.test"])).toEqual([]);
  });

  it("answers NotFoundError for an unknown contact", async () => {
    const response = await app.gql(
      eraseMutation,
      { contactId: globalId("Contact", "nobody-here") },
      token("admin"),
    );
    expect(response.data.eraseContactPersonalData).toMatchObject({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe("retention review", () => {
  const reviewQuery = `{
    personalDataDueForReview(first: 50) {
      totalCount
      edges { node { id name personalFacts { confirmedAt } } }
    }
  }`;

  const settingsMutation = `mutation($input: UpdateSettingsInput!) {
    updateSettings(input: $input) {
      __typename
      ... on MutationUpdateSettingsSuccess { data { personalDataReviewMonths } }
      ... on Error { code message }
      ... on ValidationError { issues { path message } }
    }
  }`;

  const confirmMutation = `mutation($contactId: ID!) {
    confirmContactPersonalFacts(contactId: $contactId) {
      __typename
      ... on MutationConfirmContactPersonalFactsSuccess { data { id personalFacts { confirmedAt } } }
      ... on Error { code message }
    }
  }`;

  const contacts: Record<"old" | "middle" | "fresh" | "theirs", { id: string; dbId: string }> = {} as never;

  async function review(who: Who) {
    const response = await app.gql(reviewQuery, {}, token(who));
    expect(response.errors).toBeUndefined();
    return response.data.personalDataDueForReview;
  }
  const names = (connection: any) => connection.edges.map((edge: any) => edge.node.name);

  beforeAll(async () => {
    const ours = await makeAccount("Retention Ours");
    const theirs = await makeAccount("Retention Theirs", "other manager", []);
    const ages = { old: 400, middle: 250, fresh: 30, theirs: 500 } as const;
    for (const [key, days] of Object.entries(ages) as [keyof typeof ages, number][]) {
      const contact = await makeContact(key === "theirs" ? theirs.dbId : ours.dbId, `Retain ${key}`);
      await setFacts(contact.dbId, { hobbies: "Gardening" });
      await app.db.prisma.contactPersonalFacts.update({
        where: { contactId: contact.dbId },
        data: { confirmedAt: new Date(Date.now() - days * dayMs) },
      });
      contacts[key] = contact;
    }
  });

  it("lists, by default, the facts not confirmed for 12 months, oldest first", async () => {
    const settings = await app.gql(`{ settings { personalDataReviewMonths } }`, {}, token("viewer"));
    expect(settings.data.settings.personalDataReviewMonths).toBe(12);
    const list = await review("admin");
    expect(names(list)).toEqual(["Retain theirs", "Retain old"]);
    expect(list.totalCount).toBe(2);
  });

  it("records a 'review' read for each contact listed", async () => {
    const before = await app.db.prisma.personalDataAccess.count({
      where: { contactId: contacts.old.dbId, purpose: "review" },
    });
    await review("admin");
    expect(
      await app.db.prisma.personalDataAccess.count({
        where: { contactId: contacts.old.dbId, purpose: "review" },
      }),
    ).toBe(before + 1);
    expect(
      await app.db.prisma.personalDataAccess.count({
        where: { contactId: contacts.fresh.dbId, purpose: "review" },
      }),
    ).toBe(0);
  });

  it.each([0, 121, -3])("refuses %i months with a ValidationError", async (months) => {
    const response = await app.gql(
      settingsMutation,
      { input: { personalDataReviewMonths: months } },
      token("admin"),
    );
    expect(response.data.updateSettings).toMatchObject({
      __typename: "ValidationError",
      code: "VALIDATION_FAILED",
    });
    expect(response.data.updateSettings.issues.map((issue: any) => issue.path)).toEqual([
      "input.personalDataReviewMonths",
    ]);
    const settings = await app.gql(`{ settings { personalDataReviewMonths } }`, {}, token("admin"));
    expect(settings.data.settings.personalDataReviewMonths).toBe(12);
  });

  it.each(["account owner", "viewer", "personal_data+write key"] as const)(
    "refuses a settings change by %s",
    async (who) => {
      const response = await app.gql(
        settingsMutation,
        { input: { personalDataReviewMonths: 3 } },
        token(who),
      );
      expect(response.data.updateSettings).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
      expect(await app.db.prisma.setting.count()).toBe(0);
    },
  );

  it("lists more once the admin shortens the period to 6 months, and the default returns with null", async () => {
    const changed = await app.gql(
      settingsMutation,
      { input: { personalDataReviewMonths: 6 } },
      token("admin"),
    );
    expect(changed.data.updateSettings).toEqual({
      __typename: "MutationUpdateSettingsSuccess",
      data: { personalDataReviewMonths: 6 },
    });
    expect(names(await review("admin"))).toEqual(["Retain theirs", "Retain old", "Retain middle"]);

    const reset = await app.gql(
      settingsMutation,
      { input: { personalDataReviewMonths: null } },
      token("admin"),
    );
    expect(reset.data.updateSettings.data.personalDataReviewMonths).toBe(12);
    expect(names(await review("admin"))).toEqual(["Retain theirs", "Retain old"]);
  });

  it("shows a manager only their accounts' contacts, and a viewer none", async () => {
    expect(names(await review("account owner"))).toEqual(["Retain old"]);
    expect(names(await review("team member"))).toEqual(["Retain old"]);
    expect(names(await review("other manager"))).toEqual(["Retain theirs"]);
    const forViewer = await review("viewer");
    expect(forViewer).toEqual({ totalCount: 0, edges: [] });
    expect((await review("read key")).totalCount).toBe(0);
  });

  it("takes a contact off the list once its facts are confirmed", async () => {
    const refused = await app.gql(confirmMutation, { contactId: contacts.old.id }, token("other manager"));
    expect(refused.data.confirmContactPersonalFacts).toMatchObject({ __typename: "ForbiddenError" });
    expect(names(await review("admin"))).toContain("Retain old");

    const confirmed = await app.gql(confirmMutation, { contactId: contacts.old.id }, token("account owner"));
    expect(confirmed.data.confirmContactPersonalFacts.__typename).toBe(
      "MutationConfirmContactPersonalFactsSuccess",
    );
    const facts = await app.db.prisma.contactPersonalFacts.findUniqueOrThrow({
      where: { contactId: contacts.old.dbId },
    });
    expect(facts.confirmedAt.getTime()).toBeGreaterThan(Date.now() - dayMs);
    expect(names(await review("admin"))).toEqual(["Retain theirs"]);
    expect(names(await review("account owner"))).toEqual([]);
  });
});
