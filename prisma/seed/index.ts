/**
 * Deterministic demo data: the same people, accounts and dossiers on every machine for the same
 * day (fixed random seeds), laid out before the day it is seeded so that the demo never ages. Every account gets its general facts, a decision-making unit as an
 * org chart (personal facts for some of its members), two years of relationship history and the
 * competitors courting it, all within the rules the services enforce on the same data; every
 * client (not the prospects) gets two years of invoice lines and their monthly roll-ups.
 *
 * This module makes the people and the accounts and writes everything; dossier.ts (with
 * org-chart.ts) builds each account's dossier, sales.ts the sales ledger, texts.ts and names.ts hold
 * the word lists, rng.ts the randomness and the reference date, bulk.ts writes the many rows, and
 * scale.ts makes data at scale for benchmarks.
 */
import { en, Faker } from "@faker-js/faker";
import type { Database } from "../../api/db/index.ts";
import { demoAdminEmail, demoViewerEmail } from "../../api/demo.ts";
import { accountSortName } from "../../api/services/accounts.ts";
import { addMonths } from "../../api/services/segments.ts";
import type { AccountStatus } from "../generated/sqlite/client.ts";
import { insertRows, monthlySalesColumns, salesLineColumns } from "./bulk.ts";
import { buildDossier } from "./dossier.ts";
import { demoReferenceDate, Rng } from "./rng.ts";
import { buildDemoSales, demoLinePrefix, monthsBefore } from "./sales.ts";
import { buildDemoScoring } from "./scoring.ts";
import { industries, type Market, markets } from "./texts.ts";

export { demoAdminEmail, demoReferenceDate, demoViewerEmail };

const statusWeights: { value: AccountStatus; weight: number }[] = [
  { value: "ACTIVE", weight: 60 },
  { value: "PROSPECT", weight: 20 },
  { value: "AT_RISK", weight: 12 },
  { value: "LOST", weight: 8 },
];

export interface SeedSummary {
  users: number;
  accounts: number;
  contacts: number;
  personalFacts: number;
  events: number;
  competitors: number;
  salesLines: number;
  monthlySales: number;
  scores: number;
  scoreChanges: number;
}

export async function seedDemoData(
  db: Database,
  options: {
    accounts?: number;
    /** "Today" for the demo: its history ends the day before, its sales the month before. */
    asOf?: Date;
  } = {},
): Promise<SeedSummary> {
  const accountCount = options.accounts ?? 240;
  const referenceDate = demoReferenceDate(options.asOf ?? new Date());
  const reference = referenceDate.getTime();
  const faker = new Faker({ locale: [en] });
  faker.seed(20261122);
  faker.setDefaultRefDate(referenceDate);
  const id = () => `c${faker.string.alphanumeric({ length: 24, casing: "lower" })}`;

  const people = [
    { id: id(), email: demoAdminEmail, name: "Ada Admin", role: "ADMIN" as const },
    { id: id(), email: demoViewerEmail, name: "Victor Viewer", role: "VIEWER" as const },
  ];
  const managers = Array.from({ length: 12 }, (_, index) => {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    return {
      id: id(),
      email: `manager${String(index + 1).padStart(2, "0")}@demo.kam`,
      name: `${firstName} ${lastName}`,
      role: "MANAGER" as const,
    };
  });
  const users = [...people, ...managers].map((user) => ({
    ...user,
    createdAt: faker.date.past({ years: 3 }),
    updatedAt: referenceDate,
  }));

  const usedNames = new Set<string>();
  const accountMarkets: Market[] = [];
  const accounts = Array.from({ length: accountCount }, (_, index) => {
    const market = faker.helpers.weightedArrayElement(
      markets.map((value) => ({ value, weight: value.weight })),
    );
    accountMarkets.push(market);
    const local = new Faker({ locale: [market.locale, en] });
    local.seed(1000 + index);
    let name = local.company.name();
    while (usedNames.has(name)) name = `${local.company.name()} ${local.location.city()}`;
    usedNames.add(name);
    const owner = managers[index % managers.length];
    const status = faker.helpers.weightedArrayElement(statusWeights);
    const createdAt = faker.date.past({ years: 6 });
    const slug = name
      .normalize("NFKD")
      .replace(/[^\w\s-]/g, "")
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, "-")
      .slice(0, 40);
    return {
      id: id(),
      name,
      sortName: accountSortName(name),
      externalId: `ERP-${String(10_000 + index * 7).padStart(6, "0")}`,
      industry: faker.helpers.arrayElement(industries),
      region: market.region,
      country: market.country,
      website: slug ? `https://www.${slug}.example` : null,
      status,
      // About 9 key accounts per manager, as the articles describe; prospects are not key yet.
      isKeyAccount:
        status !== "PROSPECT" && status !== "LOST" && faker.datatype.boolean({ probability: 0.55 }),
      ownerId: owner?.id ?? null,
      createdAt,
      updatedAt: faker.date.between({ from: createdAt, to: referenceDate }),
    };
  });

  const team = accounts.flatMap((account) => {
    const others = managers.filter((manager) => manager.id !== account.ownerId);
    const size = faker.helpers.weightedArrayElement([
      { value: 0, weight: 3 },
      { value: 1, weight: 5 },
      { value: 2, weight: 2 },
    ]);
    return faker.helpers.arrayElements(others, size).map((member) => ({
      accountId: account.id,
      userId: member.id,
      addedAt: account.createdAt,
    }));
  });

  // The dossiers come from a random stream of their own per account, so that the people and
  // accounts above stay what they were before dossiers existed.
  const usedDomains = new Set<string>();
  const fakers = new Map<Market["locale"], Faker>();
  const dossiers = accounts.map((account, index) =>
    buildDossier({
      account,
      market: accountMarkets[index] as Market,
      rng: new Rng(fakers, (accountMarkets[index] as Market).locale, 500_000 + index, reference),
      otherAccounts: accounts,
      usedDomains,
    }),
  );
  const accountRows = accounts.map((account, index) => ({ ...account, ...dossiers[index]?.facts }));
  // Columns left null are left out (they default to null): Prisma's createMany takes time per value.
  // A manager is inserted before the people reporting to them: one statement per org-chart level.
  const contactLevels = [0, 1, 2].map((depth) =>
    dossiers.flatMap((dossier) => (dossier.contacts[depth] ?? []).map(withoutNulls)),
  );
  const personalFacts = dossiers.flatMap((dossier) => dossier.personalFacts.map(withoutNulls));
  const competitors = dossiers.flatMap((dossier) => dossier.competitors.map(withoutNulls));
  const events = dossiers.flatMap((dossier) => dossier.events.map(withoutNulls));
  // Sales come last, from streams of their own: the data above does not change with them.
  const sales = buildDemoSales(accounts, referenceDate);
  const scoring = buildDemoScoring(accountRows, users, referenceDate);
  const dialect = db.kind;

  await db.prisma.$transaction(
    async (tx) => {
      await tx.user.createMany({ data: users });
      await tx.account.createMany({ data: accountRows });
      await tx.accountTeamMember.createMany({ data: team });
      for (const level of contactLevels) await tx.contact.createMany({ data: level });
      await tx.contactPersonalFacts.createMany({ data: personalFacts });
      await tx.competitor.createMany({ data: competitors });
      await tx.accountEvent.createMany({ data: events });
      // 100,000 lines: multi-row INSERTs, not createMany (see bulk.ts for the figures).
      await insertRows(tx, dialect, "SalesLine", salesLineColumns, sales.lines);
      await insertRows(tx, dialect, "AccountMonthlySales", monthlySalesColumns, sales.rollups);
      await tx.scoringCriterion.createMany({ data: scoring.criteria });
      await tx.criteriaSet.createMany({ data: scoring.sets });
      await tx.criterionWeight.createMany({ data: scoring.weights });
      await tx.score.createMany({ data: scoring.scores.map(withoutNulls) });
      await tx.scoreChange.createMany({ data: scoring.changes.map(withoutNulls) });
      await tx.prospectQualification.createMany({ data: scoring.qualifications.map(withoutNulls) });
    },
    { timeout: 120_000 },
  );
  return {
    users: users.length,
    accounts: accounts.length,
    contacts: contactLevels.reduce((sum, level) => sum + level.length, 0),
    personalFacts: personalFacts.length,
    events: events.length,
    competitors: competitors.length,
    salesLines: sales.lines.length,
    monthlySales: sales.rollups.length,
    scores: scoring.scores.length,
    scoreChanges: scoring.changes.length,
  };
}

/**
 * A database seeded with the demo on an earlier day ages: its sales end in the month before that
 * day, and the analyses look at the months before today. Says so, and how to lay it out again;
 * null when the demo is current or the database holds none.
 */
export async function staleDemoNotice(db: Database, now: Date): Promise<string | null> {
  const last = await db.prisma.salesLine.aggregate({
    where: { externalLineId: { startsWith: demoLinePrefix } },
    _max: { month: true },
  });
  const end = last._max.month;
  const expected = monthsBefore(now, 1)[0] as string;
  if (!end || end >= expected) return null;
  return `The demo data was laid out before ${addMonths(end, 1)}-01: its sales end in ${end}, while the analyses now look at the months up to ${expected}, so they show it ageing. For a demo as of today, start on an empty database (with SQLite, stop the server and delete the database file).`;
}

function withoutNulls<T extends object>(row: T): T {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) as T;
}
