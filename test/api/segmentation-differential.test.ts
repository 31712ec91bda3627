import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../api/clock.ts";
import { type Database, openDatabase } from "../../api/db/index.ts";
import { operatorContext } from "../../api/operator-context.ts";
import {
  type AccountSegment,
  classify,
  computeSegmentation,
  type MonthlyValues,
  type Segmentation,
  segmentMatrix,
  segmentWindow,
} from "../../api/services/segments.ts";
import type { SegmentSettingsTrial } from "../../api/services/settings.ts";
import { seedDemoData } from "../../prisma/seed/index.ts";
import { createTestDatabaseUrl } from "../support/app.ts";

/**
 * Two ways to the same ABC-XYZ classes on the demo data: the SQL statement over the monthly
 * roll-ups (`computeSegmentation`, what the API serves) and the pure `classify`, fed here with the
 * raw invoice lines summed per account and month in JavaScript. Every account must land in the
 * same class with the same numbers, under the stored settings and under settings tried that reach
 * the edge cases (history starting inside the window, too little history, no sales in the window,
 * a window longer than the data).
 */
const today = new Date("2029-05-31T15:20:00Z");

const trials: [string, SegmentSettingsTrial | null][] = [
  ["the stored (default) settings", null],
  ["gross margin as the measure", { segmentMeasure: "MARGIN" }],
  ["a 24-month window with 12 months' minimum history", { segmentWindowMonths: 24, xyzMinimumMonths: 12 }],
  ["a 36-month window, longer than the data", { segmentWindowMonths: 36, xyzMinimumMonths: 30 }],
  [
    "a 3-month window with other cut-offs",
    {
      segmentWindowMonths: 3,
      xyzMinimumMonths: 3,
      abcCutoffA: 0.5,
      abcCutoffB: 0.9,
      xyzCutoffX: 0.2,
      xyzCutoffY: 0.5,
    },
  ],
];

interface AccountRow {
  id: string;
  name: string;
}

let database: Database;
let accounts: AccountRow[];
/** Per non-archived account, per month: the sums of its lines' net amounts and gross margins. */
const lineSums = new Map<string, Map<string, { revenue: number; margin: number }>>();
let archived: string[];

beforeAll(async () => {
  database = openDatabase(await createTestDatabaseUrl());
  const db = database.prisma;
  await seedDemoData(database, { asOf: today });

  // Archived accounts are left out of the segmentation: archive the largest buyer and a prospect
  // so that leaving them out is part of what is compared.
  const [largest] = await db.salesLine.groupBy({
    by: ["accountId"],
    _sum: { netAmount: true },
    orderBy: { _sum: { netAmount: "desc" } },
    take: 1,
  });
  const prospect = await db.account.findFirstOrThrow({
    where: { status: "PROSPECT" },
    orderBy: { externalId: "asc" },
  });
  archived = [largest!.accountId, prospect.id];
  await db.account.updateMany({ where: { id: { in: archived } }, data: { archivedAt: today } });

  accounts = await db.account.findMany({ where: { archivedAt: null }, select: { id: true, name: true } });
  const active = new Set(accounts.map((account) => account.id));
  const lines = await db.salesLine.findMany({
    select: { accountId: true, month: true, netAmount: true, grossMargin: true },
  });
  for (const line of lines) {
    if (!active.has(line.accountId)) continue;
    const months = lineSums.get(line.accountId) ?? new Map<string, { revenue: number; margin: number }>();
    const sum = months.get(line.month) ?? { revenue: 0, margin: 0 };
    sum.revenue += line.netAmount;
    sum.margin += line.grossMargin;
    months.set(line.month, sum);
    lineSums.set(line.accountId, months);
  }
}, 180_000);
afterAll(() => database?.close());

/** `classify` on the lines, over the window and settings the SQL path used. */
function classifyLines(segmentation: Segmentation) {
  const field = segmentation.settings.segmentMeasure === "MARGIN" ? "margin" : "revenue";
  const inWindow = new Set(segmentation.window.months);
  const input: MonthlyValues[] = accounts.map((account) => {
    const months = lineSums.get(account.id) ?? new Map<string, { revenue: number; margin: number }>();
    const byMonth = new Map<string, number>();
    for (const [month, sum] of months) if (inWindow.has(month)) byMonth.set(month, sum[field]);
    const firstSaleMonth = [...months.keys()].sort()[0] ?? null;
    return { accountId: account.id, name: account.name, firstSaleMonth, byMonth };
  });
  return classify(input, segmentation.window, segmentation.settings);
}

/**
 * Within one unit of the last digit the SQL path rounds to (api/precision.ts): its rounding is off
 * by up to half a unit, and a mean of whole cents over 12 or 24 months often lands on a half cent,
 * which the two paths' sums may put on either side of.
 */
function close(value: number | null, digits: number) {
  return value === null ? null : expect.closeTo(value, digits - Math.log10(2));
}

/** What the SQL path must show for an account: `classify`'s segment, numbers to their precision. */
function expected(segment: AccountSegment) {
  return {
    accountId: segment.accountId,
    abc: segment.abc,
    xyz: segment.xyz,
    rank: segment.rank,
    activeMonths: segment.activeMonths,
    noSalesInWindow: segment.noSalesInWindow,
    insufficientHistory: segment.insufficientHistory,
    // Amounts to the cent, shares and coefficients of variation to 4 decimals.
    value: close(segment.value, 2),
    monthlyMean: close(segment.monthlyMean, 2),
    standardDeviation: close(segment.standardDeviation, 2),
    share: close(segment.share, 4),
    cumulativeShare: close(segment.cumulativeShare, 4),
    coefficientOfVariation: close(segment.coefficientOfVariation, 4),
  };
}

describe("ABC-XYZ on the demo data: the SQL roll-ups agree with classify() on the lines", () => {
  /** Over all the settings tried: how often each class and edge case came up. */
  const seen = new Map<string, number>();
  const count = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);

  it.each(trials)("under %s", async (_, trial) => {
    const db = database.prisma;
    const segmentation = await computeSegmentation(operatorContext(database, fixedClock(today)), trial);
    if (trial) expect(segmentation.settings).toMatchObject(trial);
    expect(segmentation.window).toEqual(segmentWindow(today, segmentation.settings.segmentWindowMonths));

    const reference = classifyLines(segmentation);
    const nonArchived = await db.account.count({ where: { archivedAt: null } });
    // Not vacuous: the demo's 240 accounts less the two archived, each of them compared.
    expect(nonArchived).toBeGreaterThanOrEqual(200);
    expect(nonArchived).toBe((await db.account.count()) - archived.length);
    expect(segmentation.segments.size).toBe(nonArchived);
    expect(reference.segments.size).toBe(nonArchived);
    for (const id of archived) expect(segmentation.segments.has(id)).toBe(false);

    expect(segmentation.total).toBeCloseTo(reference.total, 2);
    let compared = 0;
    for (const account of accounts) {
      const fromLines = reference.segments.get(account.id) as AccountSegment;
      const fromSql = segmentation.segments.get(account.id);
      expect.soft(fromSql, `${account.name} (${account.id})`).toEqual(expected(fromLines));
      compared += 1;
      count(`${fromLines.abc}`);
      count(`${fromLines.xyz}`);
      if (fromLines.noSalesInWindow) count("noSalesInWindow");
      if (fromLines.insufficientHistory) count("insufficientHistory");
      if (!fromLines.noSalesInWindow && fromLines.activeMonths < segmentation.window.months.length) {
        count("historyStartsInWindow");
      }
    }
    expect(compared).toBe(nonArchived);

    const counts = (cells: ReturnType<typeof segmentMatrix>) =>
      cells.map((cell) => ({ cell: `${cell.abc}${cell.xyz}`, accountCount: cell.accountCount }));
    const sqlCells = segmentMatrix(segmentation);
    const lineCells = segmentMatrix(reference);
    expect(counts(sqlCells)).toEqual(counts(lineCells));
    expect(sqlCells.reduce((sum, cell) => sum + cell.accountCount, 0)).toBe(nonArchived);
    sqlCells.forEach((cell, index) => {
      expect(cell.value, `${cell.abc}${cell.xyz} value`).toBeCloseTo(lineCells[index]!.value, 2);
      expect(cell.share, `${cell.abc}${cell.xyz} share`).toBeCloseTo(lineCells[index]!.share, 2);
    });
  });

  it("has compared every class and every edge case at least once", () => {
    for (const key of ["A", "B", "C", "X", "Y", "Z", "noSalesInWindow", "insufficientHistory"]) {
      expect(seen.get(key) ?? 0, key).toBeGreaterThan(0);
    }
    expect(seen.get("historyStartsInWindow") ?? 0).toBeGreaterThan(0);
  });
});
