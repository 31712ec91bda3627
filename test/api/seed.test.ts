import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { fixedClock } from "../../api/clock.ts";
import { type DbClient, openDatabase } from "../../api/db/index.ts";
import { operatorContext } from "../../api/operator-context.ts";
import { formatBirthday, nextBirthday, parseBirthday } from "../../api/services/personal-data.ts";
import { computeSegmentation, segmentMatrix } from "../../api/services/segments.ts";
import { demoAdminEmail, demoReferenceDate, demoViewerEmail, seedDemoData } from "../../prisma/seed/index.ts";
import { seedScaleData } from "../../prisma/seed/scale.ts";
import { createTestApp, createTestDatabaseUrl, globalId, type TestApp } from "../support/app.ts";

/**
 * "Today" for these tests: the demo is laid out before the day it is seeded, and the analyses run
 * on the same clock. A day late in a 31-day month, far from the day the demo was first written.
 */
const today = new Date("2029-05-31T15:20:00Z");
const clock = fixedClock(today);
const referenceDate = demoReferenceDate(today);

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp({}, { clock });
  await seedDemoData(app.db, { asOf: today });
});
afterAll(() => app.close());

async function snapshot(db: TestApp["db"]) {
  const accounts = await db.prisma.account.findMany({
    orderBy: { externalId: "asc" },
    select: {
      id: true,
      name: true,
      externalId: true,
      industry: true,
      country: true,
      status: true,
      isKeyAccount: true,
      description: true,
      employeeCount: true,
      foundedYear: true,
      history: true,
      organisation: true,
      marketEnvironment: true,
      revenueBand: true,
      keyProducts: true,
      owner: { select: { email: true } },
      team: { select: { user: { select: { email: true } } }, orderBy: { userId: "asc" } },
    },
  });
  const users = await db.prisma.user.findMany({
    orderBy: { email: "asc" },
    select: { id: true, email: true, name: true, role: true },
  });
  const contacts = await db.prisma.contact.findMany({
    orderBy: { id: "asc" },
    include: { personalFacts: true },
  });
  const events = await db.prisma.accountEvent.findMany({ orderBy: { id: "asc" } });
  const competitors = await db.prisma.competitor.findMany({ orderBy: { id: "asc" } });
  // 100,000 sales lines: compared by a digest, the roll-ups whole.
  const lines = await db.prisma.salesLine.findMany({ orderBy: { externalLineId: "asc" } });
  const salesDigest = createHash("sha256").update(JSON.stringify(lines)).digest("hex");
  const monthlySales = await db.prisma.accountMonthlySales.findMany({
    orderBy: [{ accountId: "asc" }, { month: "asc" }],
  });
  return {
    accounts,
    users,
    contacts,
    events,
    competitors,
    salesLines: lines.length,
    salesDigest,
    monthlySales,
  };
}

/** Every roll-up next to the sums of its lines, for all accounts and months (one GROUP BY). */
async function rollupsAgainstLines(prisma: DbClient) {
  const [sums, rollups] = await Promise.all([
    prisma.salesLine.groupBy({
      by: ["accountId", "month"],
      _sum: { netAmount: true, grossMargin: true },
      _count: { _all: true },
    }),
    prisma.accountMonthlySales.findMany(),
  ]);
  const byKey = new Map(rollups.map((rollup) => [`${rollup.accountId}|${rollup.month}`, rollup]));
  expect(rollups).toHaveLength(sums.length);
  for (const sum of sums) {
    const rollup = byKey.get(`${sum.accountId}|${sum.month}`);
    expect(rollup, `${sum.accountId} ${sum.month}`).toBeDefined();
    expect(rollup!.lineCount).toBe(sum._count._all);
    expect(rollup!.revenue).toBeCloseTo(sum._sum.netAmount ?? 0, 2);
    expect(rollup!.margin).toBeCloseTo(sum._sum.grossMargin ?? 0, 2);
  }
  return rollups;
}

const reference = referenceDate.getTime();
const day = 86_400_000;
const twoYearsBefore = new Date(referenceDate);
twoYearsBefore.setUTCFullYear(twoYearsBefore.getUTCFullYear() - 2);
const yearBefore = new Date(referenceDate);
yearBefore.setUTCFullYear(yearBefore.getUTCFullYear() - 1);

/** The whole demo data set, loaded once for the invariant checks. */
async function loadDossiers() {
  return app.db.prisma.account.findMany({
    orderBy: { externalId: "asc" },
    include: {
      contacts: { include: { personalFacts: true }, orderBy: { id: "asc" } },
      events: { orderBy: { occurredAt: "asc" } },
      competitors: { orderBy: { id: "asc" } },
    },
  });
}
let dossiers: Awaited<ReturnType<typeof loadDossiers>>;
const contactsOf = () => dossiers.flatMap((account) => account.contacts);
const factsOf = () =>
  contactsOf().flatMap((contact) => (contact.personalFacts ? [contact.personalFacts] : []));
const eventsOf = () => dossiers.flatMap((account) => account.events);

function mean(values: number[]) {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function share<T>(values: T[], predicate: (value: T) => boolean) {
  return values.filter(predicate).length / values.length;
}

describe("demo data", () => {
  it("has the people the README promises", async () => {
    const users = await app.db.prisma.user.findMany();
    expect(users.filter((user) => user.role === "MANAGER")).toHaveLength(12);
    expect(users.find((user) => user.email === demoAdminEmail)?.role).toBe("ADMIN");
    expect(users.find((user) => user.email === demoViewerEmail)?.role).toBe("VIEWER");
  });

  it("has at least 200 accounts across industries, regions and statuses, each with an owner", async () => {
    const accounts = await app.db.prisma.account.findMany();
    expect(accounts.length).toBeGreaterThanOrEqual(200);
    expect(new Set(accounts.map((account) => account.industry)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(accounts.map((account) => account.region)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(accounts.map((account) => account.status))).toEqual(
      new Set(["PROSPECT", "ACTIVE", "AT_RISK", "LOST"]),
    );
    expect(accounts.every((account) => account.ownerId !== null)).toBe(true);
    expect(new Set(accounts.map((account) => account.name)).size).toBe(accounts.length);
  });

  it("gives managers about nine key accounts each, as the articles describe", async () => {
    const keyAccounts = await app.db.prisma.account.count({ where: { isKeyAccount: true } });
    expect(keyAccounts / 12).toBeGreaterThanOrEqual(6);
    expect(keyAccounts / 12).toBeLessThanOrEqual(12);
  });

  it("is the same on every run (fixed random seed), dossiers included", { timeout: 120_000 }, async () => {
    const other = openDatabase(await createTestDatabaseUrl());
    try {
      // Later the same day: the same data.
      await seedDemoData(other, { asOf: new Date(today.getTime() + 6 * 3_600_000) });
      const [theirs, ours] = [await snapshot(other), await snapshot(app.db)];
      expect(ours.contacts.length).toBeGreaterThan(0);
      expect(ours.events.length).toBeGreaterThan(0);
      expect(ours.competitors.length).toBeGreaterThan(0);
      expect(ours.salesLines).toBeGreaterThan(90_000);
      expect(theirs).toEqual(ours);
    } finally {
      await other.close();
    }
  });

  it("is readable through the API, sorted by name", async () => {
    const admin = await app.db.prisma.user.findUniqueOrThrow({ where: { email: demoAdminEmail } });
    const { data } = await app.gql(
      `{ accounts(first: 20) { totalCount edges { node { name owner { email } } } } }`,
      {},
      await app.tokenFor(admin.id),
    );
    expect(data.accounts.totalCount).toBeGreaterThanOrEqual(200);
    const names: string[] = data.accounts.edges.map((edge: any) => edge.node.name);
    const folded = names.map((name) => name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase());
    expect(folded).toEqual([...folded].sort());
  });
});

describe("demo dossiers", () => {
  beforeAll(async () => {
    dossiers = await loadDossiers();
  });

  it("give every account plausible, varied general facts", () => {
    for (const account of dossiers) {
      expect(account.description).toContain(account.name);
      expect(account.employeeCount).toBeGreaterThan(0);
      expect(account.foundedYear).toBeGreaterThanOrEqual(1800);
      expect(account.foundedYear).toBeLessThanOrEqual(account.createdAt.getUTCFullYear());
      for (const text of [account.history, account.organisation, account.marketEnvironment]) {
        expect(text?.length).toBeGreaterThan(20);
        expect(text?.length).toBeLessThanOrEqual(5000);
      }
      expect(account.keyProducts?.length).toBeGreaterThan(3);
      expect(account.keyProducts?.length).toBeLessThanOrEqual(2000);
      expect(account.revenueBand).not.toBeNull();
    }
    expect(new Set(dossiers.map((account) => account.revenueBand)).size).toBe(6);
    const activities = dossiers.map((account) => account.description?.replace(account.name, ""));
    expect(new Set(activities).size).toBeGreaterThan(dossiers.length * 0.8);
    // Bigger clients employ more people.
    const employees = (bands: string[]) =>
      mean(dossiers.filter((a) => bands.includes(a.revenueBand ?? "")).map((a) => a.employeeCount ?? 0));
    expect(employees(["OVER_1B", "FROM_250M_TO_1B"])).toBeGreaterThan(
      employees(["UNDER_1M", "FROM_1M_TO_10M"]),
    );
  });

  it("give every account 3 to 12 contacts in an org chart: a forest with one or two roots", () => {
    for (const account of dossiers) {
      const { contacts } = account;
      expect(contacts.length).toBeGreaterThanOrEqual(3);
      expect(contacts.length).toBeLessThanOrEqual(12);
      const roots = contacts.filter((contact) => contact.reportsToId === null);
      expect(roots.length).toBeGreaterThanOrEqual(1);
      expect(roots.length).toBeLessThanOrEqual(2);
      const managerOf = new Map(contacts.map((contact) => [contact.id, contact.reportsToId]));
      for (const contact of contacts) {
        // The manager is in the same account, and following managers up ends at a root.
        if (contact.reportsToId) expect(managerOf.has(contact.reportsToId)).toBe(true);
        const seen = new Set<string>();
        let current: string | null | undefined = contact.id;
        while (current) {
          expect(seen.has(current)).toBe(false);
          seen.add(current);
          current = managerOf.get(current);
        }
        // At most three levels, so a decisionUnit { reports { reports } } query shows everyone.
        expect(seen.size).toBeLessThanOrEqual(3);
      }
    }
    const sizes = new Set(dossiers.map((account) => account.contacts.length));
    expect(sizes.has(3) && sizes.has(12)).toBe(true);
  });

  it("give contacts the fields the contact rules allow, with mixed roles consistent with their influence", () => {
    const contacts = contactsOf();
    const email = z.email();
    for (const account of dossiers) {
      const addresses = account.contacts.flatMap((contact) => (contact.email ? [contact.email] : []));
      expect(new Set(addresses).size).toBe(addresses.length);
      expect(new Set(addresses.map((address) => address.split("@")[1])).size).toBeLessThanOrEqual(1);
    }
    for (const contact of contacts) {
      expect(contact.name.trim().length).toBeGreaterThan(0);
      expect(contact.name.length).toBeLessThanOrEqual(200);
      expect(contact.title?.length).toBeLessThanOrEqual(200);
      expect(contact.department?.length).toBeLessThanOrEqual(200);
      expect(Number.isInteger(contact.influence)).toBe(true);
      expect(contact.influence).toBeGreaterThanOrEqual(1);
      expect(contact.influence).toBeLessThanOrEqual(5);
      if (contact.email) {
        expect(email.safeParse(contact.email).success).toBe(true);
        expect(contact.email).toMatch(/@[a-z0-9-]+\.example$/);
      }
      if (contact.phone) expect(contact.phone).toMatch(/^\+?[0-9 ().-]{4,30}$/);
      if (contact.lastContactedAt) expect(contact.lastContactedAt.getTime()).toBeLessThanOrEqual(reference);
      if (contact.decisionRole === "DECISION_MAKER") expect(contact.influence).toBeGreaterThanOrEqual(3);
      if (contact.decisionRole === "USER" || contact.decisionRole === "GATEKEEPER") {
        expect(contact.influence).toBeLessThanOrEqual(3);
      }
    }
    expect(new Set(contacts.map((contact) => contact.decisionRole)).size).toBe(6);
    expect(new Set(contacts.map((contact) => contact.attitude)).size).toBe(5);
    expect(new Set(contacts.map((contact) => contact.characterType).filter(Boolean)).size).toBe(3);
    expect(new Set(contacts.map((contact) => contact.preferredChannel).filter(Boolean)).size).toBe(4);
    const influenceOf = (role: string) =>
      mean(contacts.filter((contact) => contact.decisionRole === role).map((contact) => contact.influence));
    expect(influenceOf("DECISION_MAKER")).toBeGreaterThan(influenceOf("USER") + 1.5);
    expect(influenceOf("FINANCIAL")).toBeGreaterThan(influenceOf("GATEKEEPER"));
    // The articles' typology: top managers dominant, finance and technical people detail-oriented, HR people-oriented.
    const roots = contacts.filter((contact) => contact.reportsToId === null);
    expect(share(roots, (contact) => contact.characterType === "DOMINANT")).toBeGreaterThan(0.5);
    for (const department of ["Finance", "Engineering"]) {
      const members = contacts.filter((contact) => contact.department === department);
      expect(share(members, (contact) => contact.characterType === "DETAIL_ORIENTED")).toBeGreaterThan(0.5);
    }
    const hr = contacts.filter((contact) => contact.department === "Human resources");
    expect(share(hr, (contact) => contact.characterType === "PEOPLE_ORIENTED")).toBeGreaterThan(0.5);
  });

  it("hold personal facts for about 40% of contacts, with source, legal basis and dates", () => {
    const contacts = contactsOf();
    const facts = factsOf();
    expect(facts.length / contacts.length).toBeGreaterThan(0.3);
    expect(facts.length / contacts.length).toBeLessThan(0.5);
    for (const fact of facts) {
      expect(fact.source.trim().length).toBeGreaterThan(0);
      expect(fact.source.length).toBeLessThanOrEqual(300);
      for (const text of [fact.hobbies, fact.family, fact.values])
        expect(text?.length ?? 0).toBeLessThanOrEqual(1000);
      expect(fact.notes?.length ?? 0).toBeLessThanOrEqual(5000);
      expect(fact.collectedAt.getTime()).toBeLessThanOrEqual(fact.confirmedAt.getTime());
      expect(fact.confirmedAt.getTime()).toBeLessThanOrEqual(reference);
      if (fact.subjectInformedAt) {
        expect(fact.subjectInformedAt.getTime()).toBeGreaterThanOrEqual(fact.collectedAt.getTime());
        expect(fact.subjectInformedAt.getTime()).toBeLessThanOrEqual(reference);
      }
      const birthday = formatBirthday(fact);
      if (fact.birthMonth || fact.birthDay || fact.birthYear) {
        expect(birthday).not.toBeNull();
        expect(parseBirthday(birthday as string)).toEqual({
          birthYear: fact.birthYear,
          birthMonth: fact.birthMonth,
          birthDay: fact.birthDay,
        });
      }
    }
    expect(share(facts, (fact) => fact.legalBasis === "LEGITIMATE_INTEREST")).toBeGreaterThan(0.7);
    expect(share(facts, (fact) => fact.subjectInformedAt !== null)).toBeGreaterThan(0.7);
    expect(facts.some((fact) => fact.birthMonth && fact.birthYear === null)).toBe(true);
    // The retention review has work: some facts were last confirmed over twelve months ago, most not.
    const stale = share(facts, (fact) => fact.confirmedAt < yearBefore);
    expect(stale).toBeGreaterThan(0.1);
    expect(stale).toBeLessThan(0.5);
    // Several birthdays fall in the 30 days after the reference date.
    const soon = facts.filter(
      (fact) =>
        fact.birthMonth &&
        fact.birthDay &&
        nextBirthday(fact.birthMonth, fact.birthDay, referenceDate).getTime() - reference <= 30 * day,
    );
    expect(soon.length).toBeGreaterThanOrEqual(5);
  });

  it("give every account two years of history that follows the event rules", () => {
    const currencies: Record<string, string> = {
      FR: "EUR",
      DE: "EUR",
      ES: "EUR",
      PT: "EUR",
      RU: "RUB",
      TH: "THB",
      BR: "BRL",
      MX: "MXN",
      US: "USD",
    };
    for (const account of dossiers) {
      expect(account.events.length).toBeGreaterThanOrEqual(10);
      expect(account.events.length).toBeLessThanOrEqual(40);
      const contactIds = new Set(account.contacts.map((contact) => contact.id));
      for (const event of account.events) {
        const { kind } = event;
        expect(event.occurredAt.getTime()).toBeGreaterThanOrEqual(twoYearsBefore.getTime());
        expect(event.occurredAt.getTime()).toBeLessThanOrEqual(reference);
        expect(event.title.trim().length).toBeGreaterThan(0);
        expect(event.title.length).toBeLessThanOrEqual(300);
        expect(event.details?.length ?? 0).toBeLessThanOrEqual(5000);
        if (event.contactId) expect(contactIds.has(event.contactId)).toBe(true);
        expect(event.satisfaction !== null).toBe(kind === "SURVEY");
        if (kind === "WIN" || kind === "LOSS") expect(event.reason).toBeTruthy();
        if (kind === "LOSS") expect(event.winner).toBeTruthy();
        if (event.winner !== null) expect(["LOSS", "TENDER"]).toContain(kind);
        if (event.reason !== null) expect(["WIN", "LOSS", "TENDER", "COMPLAINT"]).toContain(kind);
        if (kind !== "COMPLAINT") {
          expect(event.resolvedAt).toBeNull();
          expect(event.resolution).toBeNull();
        }
        expect(event.resolvedAt === null).toBe(event.resolution === null);
        if (event.resolvedAt) {
          expect(event.resolvedAt.getTime()).toBeGreaterThanOrEqual(event.occurredAt.getTime());
          expect(event.resolvedAt.getTime()).toBeLessThanOrEqual(reference);
        }
        if (event.value !== null) {
          expect(event.value).toBeGreaterThanOrEqual(0);
          expect(event.currency).toBe(currencies[account.country ?? ""]);
        }
        if (kind === "DELIVERY") expect(event.value).not.toBeNull();
      }
    }
    const events = eventsOf();
    expect(new Set(events.map((event) => event.kind)).size).toBe(11);
    // Meetings, calls and e-mails mostly name the person.
    const conversations = events.filter((event) => ["MEETING", "CALL", "EMAIL"].includes(event.kind));
    expect(share(conversations, (event) => event.contactId !== null)).toBeGreaterThan(0.7);
    // Most complaints are resolved; some accounts have one open.
    const complaints = events.filter((event) => event.kind === "COMPLAINT");
    expect(share(complaints, (event) => event.resolvedAt !== null)).toBeGreaterThan(0.7);
    const withOpenComplaint = dossiers.filter((account) =>
      account.events.some((event) => event.kind === "COMPLAINT" && event.resolvedAt === null),
    );
    expect(withOpenComplaint.length).toBeGreaterThanOrEqual(5);
    expect(withOpenComplaint.length).toBeLessThan(dossiers.length * 0.25);
    // Some accounts have not been met, called or written to for over six months; most have.
    const sixMonthsBefore = new Date(referenceDate);
    sixMonthsBefore.setUTCMonth(sixMonthsBefore.getUTCMonth() - 6);
    const neglected = dossiers.filter(
      (account) =>
        !account.events.some(
          (event) => ["MEETING", "CALL", "EMAIL"].includes(event.kind) && event.occurredAt >= sixMonthsBefore,
        ),
    );
    expect(neglected.length).toBeGreaterThanOrEqual(5);
    expect(neglected.length).toBeLessThan(dossiers.length * 0.25);
    // A contact's last contact is never later than the account's history shows.
    for (const account of dossiers) {
      const lastConversation = Math.max(
        0,
        ...account.events
          .filter((event) => ["MEETING", "CALL", "EMAIL"].includes(event.kind))
          .map((event) => event.occurredAt.getTime()),
      );
      for (const contact of account.contacts) {
        expect(contact.lastContactedAt?.getTime() ?? 0).toBeLessThanOrEqual(lastConversation);
      }
    }
  });

  it("give every account 0 to 4 competitors within the competitor rules", () => {
    for (const account of dossiers) {
      expect(account.competitors.length).toBeLessThanOrEqual(4);
      expect(
        account.competitors.filter((competitor) => competitor.position === "INCUMBENT").length,
      ).toBeLessThanOrEqual(1);
      expect(new Set(account.competitors.map((competitor) => competitor.name)).size).toBe(
        account.competitors.length,
      );
      for (const competitor of account.competitors) {
        expect(competitor.name.trim().length).toBeGreaterThan(0);
        expect(competitor.name.length).toBeLessThanOrEqual(200);
        for (const text of [competitor.offering, competitor.strengths, competitor.weaknesses]) {
          expect(text?.length ?? 0).toBeLessThanOrEqual(2000);
        }
        if (competitor.lastSeenAt) expect(competitor.lastSeenAt.getTime()).toBeLessThanOrEqual(reference);
      }
    }
    const counts = new Set(dossiers.map((account) => account.competitors.length));
    expect([...counts].sort()).toEqual([0, 1, 2, 3, 4]);
    const competitors = dossiers.flatMap((account) => account.competitors);
    expect(new Set(competitors.map((competitor) => competitor.position)).size).toBe(5);
    expect(new Set(competitors.map((competitor) => competitor.threatLevel)).size).toBe(3);
    // A lost client went to someone courting it.
    for (const account of dossiers.filter((a) => a.status === "LOST")) {
      const losses = account.events.filter((event) => event.kind === "LOSS");
      expect(losses.length).toBeGreaterThanOrEqual(1);
      const names = account.competitors.map((competitor) => competitor.name);
      expect(names).toContain(losses[losses.length - 1]?.winner);
    }
  });

  it("show personal facts through the API to the account team, and not to viewers", async () => {
    const account = await app.db.prisma.account.findFirstOrThrow({
      where: {
        team: { some: {} },
        contacts: { some: { personalFacts: { isNot: null }, reportsTo: { isNot: null } } },
      },
      orderBy: { externalId: "asc" },
      include: {
        team: { orderBy: { userId: "asc" } },
        contacts: { include: { personalFacts: true } },
        _count: { select: { events: true } },
        competitors: true,
      },
    });
    const teamMember = account.team[0]!.userId;
    expect(account.ownerId).not.toBe(teamMember);
    const viewer = await app.db.prisma.user.findUniqueOrThrow({ where: { email: demoViewerEmail } });
    const query = `query ($id: ID!) {
      account(id: $id) {
        __typename
        ... on Account {
          description
          revenueBand
          decisionUnit { ...person reports { ...person reports { ...person reports { ...person } } } }
          events(first: 5) { totalCount edges { node { kind occurredAt title contact { id } } } }
          surveys: events(first: 50, filter: { kinds: [SURVEY] }) { totalCount edges { node { satisfaction } } }
          competitors { name position threatLevel }
        }
      }
    }
    fragment person on Contact {
      id name title decisionRole influence personalFactsRestricted
      personalFacts { birthday source legalBasis }
    }`;
    const flatten = (people: any[]): any[] =>
      people.flatMap((person) => [person, ...flatten(person.reports ?? [])]);
    const byId = new Map(account.contacts.map((contact) => [globalId("Contact", contact.id), contact]));

    const asTeam = await app.gql(
      query,
      { id: globalId("Account", account.id) },
      await app.tokenFor(teamMember),
    );
    expect(asTeam.errors).toBeUndefined();
    const seenByTeam = asTeam.data.account;
    expect(seenByTeam.__typename).toBe("Account");
    expect(seenByTeam.description).toBe(account.description);
    const people = flatten(seenByTeam.decisionUnit);
    expect(new Set(people.map((person) => person.id))).toEqual(new Set(byId.keys()));
    let withFacts = 0;
    for (const person of people) {
      const stored = byId.get(person.id)!;
      expect(person.personalFactsRestricted).toBe(false);
      if (stored.personalFacts) {
        withFacts += 1;
        expect(person.personalFacts).toEqual({
          birthday: formatBirthday(stored.personalFacts),
          source: stored.personalFacts.source,
          legalBasis: stored.personalFacts.legalBasis,
        });
      } else {
        expect(person.personalFacts).toBeNull();
      }
    }
    expect(withFacts).toBeGreaterThan(0);
    expect(seenByTeam.events.totalCount).toBe(account._count.events);
    const shown = seenByTeam.events.edges.map((edge: any) => edge.node.occurredAt);
    expect(shown).toEqual([...shown].sort().reverse());
    expect(seenByTeam.surveys.edges.every((edge: any) => edge.node.satisfaction !== null)).toBe(true);
    expect(seenByTeam.competitors).toHaveLength(account.competitors.length);

    const asViewer = await app.gql(
      query,
      { id: globalId("Account", account.id) },
      await app.tokenFor(viewer.id),
    );
    expect(asViewer.errors).toBeUndefined();
    const seenByViewer = flatten(asViewer.data.account.decisionUnit);
    expect(seenByViewer).toHaveLength(people.length);
    for (const person of seenByViewer) {
      expect(person.personalFactsRestricted).toBe(true);
      expect(person.personalFacts).toBeNull();
    }
    // The rest of the dossier is the same for both.
    expect(asViewer.data.account.events).toEqual(seenByTeam.events);
    expect(asViewer.data.account.competitors).toEqual(seenByTeam.competitors);
  });
});

describe("demo sales", () => {
  const reference = referenceDate;
  /** The first day of the month a year before the reference month. */
  const yearBeforeReference = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), 1));
  /** "YYYY-MM", `back` months before the reference month. */
  const month = (back: number) =>
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - back, 1)).toISOString().slice(0, 7);

  it("hold about 100,000 invoice lines over the 24 months before the reference date", async () => {
    const db = app.db.prisma;
    const count = await db.salesLine.count();
    expect(count).toBeGreaterThan(90_000);
    expect(count).toBeLessThan(115_000);
    const range = await db.salesLine.aggregate({
      _min: { month: true },
      _max: { month: true, invoiceDate: true },
    });
    expect(range._min.month).toBe(month(24));
    expect(range._max.month).toBe(month(1));
    expect(range._max.invoiceDate!.getTime()).toBeLessThan(reference.getTime());
    // A few credit notes: negative lines, well under 1% of all.
    const credits = await db.salesLine.count({ where: { netAmount: { lt: 0 } } });
    expect(credits).toBeGreaterThan(10);
    expect(credits / count).toBeLessThan(0.01);
  });

  it("have roll-ups equal to the sums of their lines, as the import would have written them", async () => {
    const rollups = await rollupsAgainstLines(app.db.prisma);
    expect(rollups.length).toBeGreaterThan(2_000);
  });

  it("fill every ABC-XYZ cell with the default settings", async () => {
    const segmentation = await computeSegmentation({ ...app, clock: fixedClock(today), principal: null });
    expect(segmentation.window).toMatchObject({ from: month(12), to: month(1) });
    const cells = segmentMatrix(segmentation);
    for (const cell of cells) expect(cell.accountCount, `${cell.abc}${cell.xyz}`).toBeGreaterThan(0);
  });

  it("leave prospects without sales, lost accounts silent for 12 months and more, at-risk accounts fading", async () => {
    const db = app.db.prisma;
    const accounts = await db.account.findMany({ select: { id: true, status: true } });
    const lastInvoices = await db.salesLine.groupBy({ by: ["accountId"], _max: { invoiceDate: true } });
    const last = new Map(lastInvoices.map((row) => [row.accountId, row._max.invoiceDate as Date]));
    const rollups = await db.accountMonthlySales.findMany();
    const revenue = (accountId: string, months: string[]) =>
      rollups
        .filter((rollup) => rollup.accountId === accountId && months.includes(rollup.month))
        .reduce((sum, rollup) => sum + rollup.revenue, 0);

    const prospects = accounts.filter((account) => account.status === "PROSPECT");
    expect(prospects.length).toBeGreaterThan(0);
    for (const prospect of prospects) expect(last.has(prospect.id)).toBe(false);

    const lost = accounts.filter((account) => account.status === "LOST");
    expect(lost.length).toBeGreaterThan(0);
    for (const account of lost) {
      expect(last.get(account.id)!.getTime()).toBeLessThan(yearBeforeReference.getTime());
    }

    // At risk: silent for three months and more though they used to buy every month, or the last
    // three months down by more than 30% on the same months a year before.
    const atRisk = accounts.filter((account) => account.status === "AT_RISK");
    let silent = 0;
    let declining = 0;
    for (const account of atRisk) {
      const quiet = reference.getTime() - last.get(account.id)!.getTime() > 90 * day;
      const recent = revenue(account.id, [month(3), month(2), month(1)]);
      const before = revenue(account.id, [month(15), month(14), month(13)]);
      const down = before > 0 && recent < 0.7 * before;
      expect(quiet || down, account.id).toBe(true);
      if (quiet) silent += 1;
      else declining += 1;
    }
    expect(silent).toBeGreaterThan(0);
    expect(declining).toBeGreaterThan(0);
    // Nearly all active accounts bought in the last three months.
    const active = accounts.filter((account) => account.status === "ACTIVE");
    const recentBuyers = active.filter(
      (account) => reference.getTime() - (last.get(account.id)?.getTime() ?? 0) <= 92 * day,
    );
    expect(recentBuyers.length / active.length).toBeGreaterThan(0.9);
  });
});

describe("demo scoring", () => {
  it("ships the article's ten criteria in the active set, scores with gaps, history and evidence, and candidates", async () => {
    const admin = await app.db.prisma.user.findUniqueOrThrow({ where: { email: demoAdminEmail } });
    const token = await app.tokenFor(admin.id);
    const { data, errors } = await app.gql(
      `{ criteriaSets { name isActive criteria { criterion { key } } }
         scoreMatrix(first: 10) { ... on QueryScoreMatrixSuccess { data { totalCount edges { node { score rank cells { value evidence } } } } } }
         keyAccountCandidates { ... on KeyAccountCandidates { toAdd { reason } toDrop { reason } } } }`,
      {},
      token,
    );
    expect(errors).toBeUndefined();
    expect(data.criteriaSets.map((set: any) => [set.name, set.isActive, set.criteria.length])).toEqual([
      ["Key-account selection", true, 10],
      ["Profit first", false, 4],
    ]);
    const rows = data.scoreMatrix.data.edges.map((edge: any) => edge.node);
    expect(rows[0].rank).toBe(1);
    expect(rows.every((row: any) => row.score !== null)).toBe(true);
    expect(rows.flatMap((row: any) => row.cells).some((cell: any) => cell.evidence)).toBe(true);
    expect(data.keyAccountCandidates.toAdd.length).toBeGreaterThan(0);
    expect(data.keyAccountCandidates.toDrop.length).toBeGreaterThan(0);

    const clients = await app.db.prisma.account.findMany({
      where: { status: { not: "PROSPECT" } },
      select: { _count: { select: { scores: true } } },
    });
    // Every client is scored; some criteria are left unscored (gaps), never filled with zeros.
    expect(clients.every((client) => client._count.scores > 0)).toBe(true);
    expect(clients.some((client) => client._count.scores < 10)).toBe(true);
    expect(await app.db.prisma.score.count({ where: { value: { lt: 1 } } })).toBe(0);
    expect(await app.db.prisma.scoreChange.count()).toBeGreaterThan(await app.db.prisma.score.count());
    const prospects = await app.db.prisma.account.count({ where: { status: "PROSPECT" } });
    expect(await app.db.prisma.prospectQualification.count()).toBe(prospects);
  });
});

describe("scale data", () => {
  it("writes the accounts, lines and roll-ups asked for, consistent with each other", async () => {
    const other = openDatabase(await createTestDatabaseUrl());
    try {
      const asOf = new Date("2026-07-10T00:00:00Z");
      const summary = await seedScaleData(other, { accounts: 50, months: 6, lines: 2_000, asOf });
      expect(summary).toMatchObject({ accounts: 50, salesLines: 2_000 });
      expect(await other.prisma.account.count()).toBe(50);
      expect(await other.prisma.salesLine.count()).toBe(2_000);
      const managers = await other.prisma.user.findMany({ where: { role: "MANAGER" } });
      expect(managers).toHaveLength(summary.users - 1);
      // An admin to get a token for, so the data can be read through the API at once.
      const admin = await other.prisma.user.findUniqueOrThrow({ where: { email: summary.adminEmail } });
      expect(admin.role).toBe("ADMIN");
      const owners = await other.prisma.account.groupBy({ by: ["ownerId"], _count: { _all: true } });
      expect(owners.every((owner) => managers.some((manager) => manager.id === owner.ownerId))).toBe(true);
      const rollups = await rollupsAgainstLines(other.prisma);
      expect(rollups).toHaveLength(summary.monthlySales);
      expect(rollups.reduce((sum, rollup) => sum + rollup.lineCount, 0)).toBe(2_000);
      expect(new Set(rollups.map((rollup) => rollup.month))).toEqual(
        new Set(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]),
      );
      const segmentation = await computeSegmentation(operatorContext(other, fixedClock(asOf)));
      expect(segmentation.segments.size).toBe(50);
    } finally {
      await other.close();
    }
  });
});
