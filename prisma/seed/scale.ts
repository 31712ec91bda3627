/**
 * Data at scale for benchmarks and load tests: many accounts, owned by a few managers, with
 * sales lines spread over the months before a date and the roll-ups summed from them.
 *
 * The lines come in the demo's shapes (steady, seasonal and irregular buyers of very different
 * sizes, a few late starters, some credit notes), so that the ABC-XYZ matrix fills. Exactly
 * `lines` lines are written, in multi-row INSERTs of 5,000 rows as they are made (memory stays
 * flat at a million lines); the roll-ups follow in batches. Deterministic for the same options.
 */

import type { Database } from "../../api/db/index.ts";
import { actingAs, operatorContext } from "../../api/operator-context.ts";
import { accountSortName } from "../../api/services/accounts.ts";
import { articleCriteria, createCriteriaSet } from "../../api/services/criteria-sets.ts";
import type { User } from "../generated/sqlite/client.ts";
import { insertRows, monthlySalesColumns, salesLineColumns } from "./bulk.ts";
import { FastRandom, monthsBefore, SalesBook } from "./sales.ts";
import { industries, industryProfiles } from "./texts.ts";

export interface ScaleOptions {
  accounts: number;
  /** Months of sales, ending with the month before `asOf`. */
  months: number;
  /** Sales lines in all, spread over the accounts (some prospects get none) and months. */
  lines: number;
  /** Defaults to now, so that the segmentation's window (the last complete months) holds the data. */
  asOf?: Date;
  /** Managers owning the accounts; 8 unless told. */
  managers?: number;
  /** Seed of the random streams. */
  seed?: number;
}

export interface ScaleSummary {
  /** The managers and one admin. */
  users: number;
  /** The admin, to get a token for: `npm run kam -- token --email <adminEmail>`. */
  adminEmail: string;
  accounts: number;
  salesLines: number;
  monthlySales: number;
  milliseconds: number;
}

const lineChunk = 5_000;

export async function seedScaleData(db: Database, options: ScaleOptions): Promise<ScaleSummary> {
  const started = performance.now();
  const { accounts: accountCount, months: monthCount, lines: lineCount } = options;
  if (accountCount < 1 || monthCount < 1 || lineCount < 0) throw new Error("accounts and months must be ≥ 1");
  const asOf = options.asOf ?? new Date();
  const seed = options.seed ?? 42;
  const dialect = db.kind;
  const random = new FastRandom(seed);
  const months = monthsBefore(asOf, monthCount);
  const createdAt = new Date(`${months[0]}-01T00:00:00Z`);
  const tag = seed.toString(36);

  const managers = Array.from({ length: options.managers ?? 8 }, (_, index) => ({
    id: random.id(),
    email: `scale-${tag}-manager${String(index + 1).padStart(2, "0")}@scale.kam`,
    name: `Scale Manager ${index + 1}`,
    role: "MANAGER" as const,
    createdAt,
    updatedAt: createdAt,
  }));
  const admin = {
    id: random.id(),
    email: `scale-${tag}-admin@scale.kam`,
    name: "Scale Admin",
    role: "ADMIN" as const,
    createdAt,
    updatedAt: createdAt,
  };

  // Sizes: log-normal monthly values; the number of lines grows with the square root of size.
  const accounts = Array.from({ length: accountCount }, (_, index) => {
    const name = `Scale ${tag} Account ${String(index + 1).padStart(6, "0")}`;
    const prospect = random.chance(0.05);
    return {
      id: random.id(),
      name,
      sortName: accountSortName(name),
      externalId: `SCALE-${tag}-${String(index + 1).padStart(7, "0")}`,
      industry: industries[index % industries.length] as (typeof industries)[number],
      status: prospect ? ("PROSPECT" as const) : ("ACTIVE" as const),
      isKeyAccount: !prospect && random.chance(0.1),
      ownerId: (managers[index % managers.length] as { id: string }).id,
      createdAt,
      updatedAt: createdAt,
      base: Math.round(500_000 * Math.exp(1.25 * random.normal())),
      regularity: random.int(0, 2),
      first: random.chance(0.08) ? random.int(Math.floor(monthCount / 2), monthCount - 1) : 0,
      marginRate: random.between(0.14, 0.38),
    };
  });
  const weights = accounts.map((account) => (account.status === "PROSPECT" ? 0 : Math.sqrt(account.base)));
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  // Lines per account: proportional to weight, the remainder spread one by one (exactly `lines`).
  const perAccount = weights.map((weight) =>
    totalWeight > 0 ? Math.floor((lineCount * weight) / totalWeight) : 0,
  );
  let remainder = lineCount - perAccount.reduce((sum, count) => sum + count, 0);
  for (let index = 0; remainder > 0; index = (index + 1) % accountCount) {
    if ((weights[index] as number) > 0 || totalWeight === 0) {
      perAccount[index] = (perAccount[index] as number) + 1;
      remainder -= 1;
    }
  }

  const book = new SalesBook(`SCALE-${tag}-L`);
  let written = 0;
  await db.prisma.user.createMany({ data: [admin, ...managers] });
  await insertRows(
    db.prisma,
    dialect,
    "Account",
    [
      "id",
      "name",
      "sortName",
      "externalId",
      "industry",
      "status",
      "isKeyAccount",
      "ownerId",
      "createdAt",
      "updatedAt",
    ],
    accounts,
    2_000,
  );
  for (const [index, account] of accounts.entries()) {
    const count = perAccount[index] as number;
    if (count === 0) continue;
    // Which months the account buys in, then `count` lines spread evenly over them.
    const active: number[] = [];
    for (let m = account.first; m < monthCount; m += 1) {
      if (account.regularity !== 2 || random.chance(0.55)) active.push(m);
    }
    if (active.length === 0) active.push(monthCount - 1);
    const phase = random.int(0, 11);
    const products = industryProfiles[account.industry].buys;
    active.forEach((m, position) => {
      const lines =
        Math.floor(((position + 1) * count) / active.length) - Math.floor((position * count) / active.length);
      if (lines === 0) return;
      const level =
        account.regularity === 0
          ? 1 + 0.03 * random.normal()
          : account.regularity === 1
            ? 1 + 0.18 * Math.sin((2 * Math.PI * (m + phase)) / 12) + 0.05 * random.normal()
            : random.between(0.5, 3);
      book.addMonth(random, {
        accountId: account.id,
        month: months[m] as string,
        cents: Math.max(1_000, Math.round(account.base * Math.max(0.05, level))),
        count: lines,
        products,
        marginRate: account.marginRate,
        creditChance: 0.01,
      });
    });
    if (book.lines.length >= lineChunk) {
      const batch = book.drain();
      await insertRows(db.prisma, dialect, "SalesLine", salesLineColumns, batch, lineChunk);
      written += batch.length;
    }
  }
  const rest = book.drain();
  await insertRows(db.prisma, dialect, "SalesLine", salesLineColumns, rest, lineChunk);
  written += rest.length;
  const rollups = book.rollups();
  await insertRows(db.prisma, dialect, "AccountMonthlySales", monthlySalesColumns, rollups, lineChunk);
  return {
    users: managers.length + 1,
    adminEmail: admin.email,
    accounts: accounts.length,
    salesLines: written,
    monthlySales: rollups.length,
    milliseconds: Math.round(performance.now() - started),
  };
}

/** The columns of the rows `scaleScoreRows` makes, for `insertRows`. */
export const scaleScoreColumns = [
  "accountId",
  "criterionId",
  "value",
  "evidence",
  "authorKind",
  "authorLabel",
  "scoredAt",
] as const;

/**
 * A criteria set of the article's ten criteria for data at scale: weights 1-3, the best 900
 * accounts key. The first set of a database is the active one.
 */
export function createScaleCriteriaSet(db: Database, admin: User, name: string) {
  return createCriteriaSet(actingAs(operatorContext(db), { kind: "user", user: admin }), {
    name,
    keyAccountRule: "TOP_N",
    keyAccountCount: 900,
    criteria: articleCriteria.map((criterion, index) => ({
      key: criterion.key,
      label: criterion.label,
      weight: 1 + (index % 3),
    })),
  });
}

/** Scores 1-10 at random for about 93% of the cells of every account × criterion, by `admin`. */
export function scaleScoreRows(
  accountIds: readonly string[],
  criterionIds: readonly string[],
  admin: User,
  options: { seed: number; evidence: string },
) {
  const random = new FastRandom(options.seed);
  const scoredAt = new Date();
  return accountIds.flatMap((accountId) =>
    criterionIds.flatMap((criterionId) =>
      random.int(0, 99) < 7
        ? []
        : [
            {
              accountId,
              criterionId,
              value: random.int(1, 10),
              evidence: options.evidence,
              authorKind: "USER",
              authorLabel: admin.email,
              scoredAt,
            },
          ],
    ),
  );
}
