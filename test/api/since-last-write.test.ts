/**
 * Portfolio analyses are remembered between requests until one of their tables changes
 * (api/db/since-last-write.ts): by this process or another connection, committed or rolled back;
 * the trend of scores also until a score change reaches its look-back day.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../api/clock.ts";
import { openDatabase } from "../../api/db/index.ts";
import { operatorContext } from "../../api/operator-context.ts";
import { clientTypeTables, computeClientTypes } from "../../api/services/client-types.ts";
import { rankAccounts, rankingTables, trendDays } from "../../api/services/score-ranking.ts";
import { computeSegmentation, segmentationTables } from "../../api/services/segments.ts";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

const day = 86_400_000;
let current = new Date("2026-06-15T12:00:00Z");
const clock: Clock = { now: () => new Date(current) };

let app: TestApp;
let token: string;
const ids: string[] = [];

/** Last month, for the roll-ups the segmentation reads. */
const lastMonth = "2026-05";

beforeAll(async () => {
  app = await createTestApp({}, { clock });
  token = (await app.createUser("ADMIN")).token;
  for (const [index, revenue] of [1000, 500, 100].entries()) {
    const name = `Remembered ${index}`;
    const account = await app.db.prisma.account.create({
      data: { name, sortName: name.toLowerCase(), status: "ACTIVE", createdAt: new Date("2024-01-01") },
    });
    ids.push(account.id);
    await app.db.prisma.accountMonthlySales.create({
      data: { accountId: account.id, month: lastMonth, revenue, margin: revenue / 2, lineCount: 1 },
    });
  }
});
afterAll(() => app.close());

const segmentQuery = `query($id: ID!) { account(id: $id) { ... on Account { segment { value rank } } } }`;

async function segmentOf(index: number) {
  const response = await app.gql(segmentQuery, { id: globalId("Account", ids[index] as string) }, token);
  expect(response.errors).toBeUndefined();
  return response.data.account.segment as { value: number; rank: number };
}

const segmentationStatements = () => app.statements.filter((sql) => sql.includes("WITH history AS"));

describe("remembered portfolio analyses", () => {
  it("are read once while nothing they read changes, even when other tables are written", async () => {
    await segmentOf(0);
    app.statements.length = 0;
    await app.db.prisma.auditEntry.create({
      data: {
        actorKind: "SYSTEM",
        actorLabel: "test",
        action: "test.note",
        entityType: "Test",
        entityId: "1",
      },
    });
    expect(await segmentOf(0)).toMatchObject({ value: 1000, rank: 1 });
    if (app.db.kind === "sqlite") expect(segmentationStatements()).toEqual([]);
  });

  it("are read again after a write to one of their tables", async () => {
    expect(await segmentOf(2)).toMatchObject({ value: 100, rank: 3 });
    await app.db.prisma.accountMonthlySales.updateMany({
      where: { accountId: ids[2] as string },
      data: { revenue: 5000 },
    });
    expect(await segmentOf(2)).toMatchObject({ value: 5000, rank: 1 });
  });

  it("are read again after a write by another connection", async () => {
    const other = openDatabase(app.db.url);
    try {
      await other.prisma.accountMonthlySales.updateMany({
        where: { accountId: ids[1] as string },
        data: { revenue: 9000 },
      });
    } finally {
      await other.close();
    }
    expect(await segmentOf(1)).toMatchObject({ value: 9000, rank: 1 });
  });

  it("do not keep what a rolled-back transaction wrote", async () => {
    const before = await segmentOf(0);
    await expect(
      app.db.prisma.$transaction(async (tx) => {
        await tx.accountMonthlySales.updateMany({
          where: { accountId: ids[0] as string },
          data: { revenue: 1 },
        });
        // Read while the change is written but not committed (SQLite's one connection sees it).
        await segmentOf(0);
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect(await segmentOf(0)).toEqual(before);
  });

  it("follow the clock where the result depends on it: the score's trend", async () => {
    const criterion = await app.db.prisma.scoringCriterion.create({
      data: { key: "remembered", label: "R" },
    });
    const set = await app.db.prisma.criteriaSet.create({ data: { name: "Remembered", isActive: true } });
    await app.db.prisma.criterionWeight.create({
      data: { criteriaSetId: set.id, criterionId: criterion.id, weight: 1, position: 0 },
    });
    const accountId = ids[0] as string;
    const author = { authorKind: "SYSTEM" as const, authorLabel: "test" };
    const first = new Date(current.getTime() - 200 * day);
    const second = new Date(current.getTime() - 100 * day);
    await app.db.prisma.scoreChange.createMany({
      data: [
        { accountId, criterionId: criterion.id, value: 4, changedAt: first, ...author },
        { accountId, criterionId: criterion.id, value: 10, previous: 4, changedAt: second, ...author },
      ],
    });
    await app.db.prisma.score.create({
      data: { accountId, criterionId: criterion.id, value: 10, scoredAt: second, ...author },
    });
    const context = operatorContext(app.db, clock);
    const trend = async () =>
      (await rankAccounts(context, null, { accountIds: [accountId], withTrend: true })).rows[0]
        ?.previousScore;
    // Looking back 90 days from just before the second change's 90th day: the first score (4).
    current = new Date(second.getTime() + trendDays * day - 3_600_000);
    expect(await trend()).toBe(33.33);
    // An hour after it, with nothing written in between: the second (10).
    current = new Date(second.getTime() + trendDays * day + 3_600_000);
    expect(await trend()).toBe(100);
    // And back: the clock set back computes it again.
    current = new Date(second.getTime() + trendDays * day - 3_600_000);
    expect(await trend()).toBe(33.33);
  });

  it("name every table their statements read", async () => {
    const tablesIn = (statements: string[]) => {
      const ctes = new Set(
        statements.flatMap((sql) => [...sql.matchAll(/(\w+) AS (?:NOT MATERIALIZED )?\(/g)].map((m) => m[1])),
      );
      return new Set(
        statements.flatMap((sql) =>
          [...sql.matchAll(/(?:FROM|JOIN)\s+[`"]?(?:main[`"]?\.[`"]?)?(\w+)[`"]?/gi)]
            .map((m) => m[1] as string)
            .filter((name) => !ctes.has(name) && /^[A-Z]/.test(name)),
        ),
      );
    };
    // A database of its own, where nothing is remembered yet: each analysis sends its statements.
    const fresh = await createTestApp({}, { clock });
    try {
      const context = operatorContext(fresh.db, clock);
      for (const [compute, tables] of [
        [() => computeSegmentation(context), segmentationTables],
        [() => computeClientTypes(context), clientTypeTables],
        [() => rankAccounts(context, null, { withCells: true, withTrend: true }), rankingTables],
      ] as const) {
        fresh.statements.length = 0;
        await compute();
        expect(fresh.statements.length).toBeGreaterThan(0);
        expect([...tablesIn(fresh.statements)].filter((table) => !tables.includes(table))).toEqual([]);
      }
    } finally {
      await fresh.close();
    }
  });
});
