/**
 * Deterministic demo data: the same people and accounts on every machine (fixed random seed,
 * fixed reference date). Later areas add their own data here.
 */
import { de, en, es, Faker, fr, pt_BR, pt_PT, ru, th } from "@faker-js/faker";
import type { Db } from "../api/db/index.ts";
import { accountSortName } from "../api/services/accounts.ts";
import type { AccountStatus } from "./generated/sqlite/client.ts";

export const demoReferenceDate = new Date("2026-11-01T09:00:00Z");
export const demoAdminEmail = "admin@demo.kam";
export const demoViewerEmail = "viewer@demo.kam";

const industries = [
  "Manufacturing",
  "Retail",
  "Healthcare",
  "Logistics",
  "Energy",
  "Food & Beverage",
  "Construction",
  "Telecommunications",
  "Financial services",
  "Public sector",
  "Pharmaceuticals",
  "Automotive",
];

/** Where the demo clients are, with a faker locale for plausible company names. */
const markets = [
  { country: "FR", region: "Western Europe", locale: fr, weight: 5 },
  { country: "DE", region: "Western Europe", locale: de, weight: 2 },
  { country: "ES", region: "Southern Europe", locale: es, weight: 4 },
  { country: "PT", region: "Southern Europe", locale: pt_PT, weight: 3 },
  { country: "RU", region: "Eastern Europe", locale: ru, weight: 4 },
  { country: "TH", region: "South-East Asia", locale: th, weight: 3 },
  { country: "BR", region: "Latin America", locale: pt_BR, weight: 3 },
  { country: "MX", region: "Latin America", locale: es, weight: 2 },
  { country: "US", region: "North America", locale: en, weight: 2 },
];

const statusWeights: { value: AccountStatus; weight: number }[] = [
  { value: "ACTIVE", weight: 60 },
  { value: "PROSPECT", weight: 20 },
  { value: "AT_RISK", weight: 12 },
  { value: "LOST", weight: 8 },
];

export interface SeedSummary {
  users: number;
  accounts: number;
}

export async function seedDemoData(db: Db, options: { accounts?: number } = {}): Promise<SeedSummary> {
  const accountCount = options.accounts ?? 240;
  const faker = new Faker({ locale: [en] });
  faker.seed(20261122);
  faker.setDefaultRefDate(demoReferenceDate);
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
    updatedAt: demoReferenceDate,
  }));

  const usedNames = new Set<string>();
  const accounts = Array.from({ length: accountCount }, (_, index) => {
    const market = faker.helpers.weightedArrayElement(
      markets.map((value) => ({ value, weight: value.weight })),
    );
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
      updatedAt: faker.date.between({ from: createdAt, to: demoReferenceDate }),
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

  await db.$transaction(async (tx) => {
    await tx.user.createMany({ data: users });
    await tx.account.createMany({ data: accounts });
    await tx.accountTeamMember.createMany({ data: team });
  });
  return { users: users.length, accounts: accounts.length };
}
