import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../api/clock.ts";
import { money, percent, roundTo, share } from "../../api/precision.ts";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

/** The decimals a number shows when printed, as a JSON reader sees it. */
function decimals(value: number): number {
  const text = String(value);
  if (text.includes("e")) return Number.POSITIVE_INFINITY;
  return text.includes(".") ? (text.split(".")[1] as string).length : 0;
}

describe("rounding", () => {
  it("rounds as the decimal writing reads, half away from zero, without float noise", () => {
    expect(money(5775.620000000001)).toBe(5775.62);
    expect(String(money(0.1 + 0.2))).toBe("0.3");
    expect(money(1.005)).toBe(1.01);
    expect(money(-1.005)).toBe(-1.01);
    expect(money(2.675)).toBe(2.68);
    expect(money(123_456_789_012.345)).toBe(123_456_789_012.35);
    expect(share(4.470599999999999)).toBe(4.4706);
    expect(share(1 / 3)).toBe(0.3333);
    expect(percent(66.666666)).toBe(66.67);
    expect(roundTo(1e-9, 2)).toBe(0);
    expect(money(null)).toBeNull();
    expect(Number.isNaN(roundTo(Number.NaN, 2))).toBe(true);
  });
});

/**
 * Amounts whose binary sums carry noise (0.1 + 0.2 = 0.30000000000000004), imported through the
 * API, must come back to the cent in every roll-up, analysis and share.
 */
const today = new Date("2026-07-15T10:00:00Z");
let app: TestApp;
let token: string;

const importMutation = `mutation($lines: [SalesLineInput!]!) {
  importSalesLines(input: { lines: $lines }) {
    __typename
    ... on SalesImportRejectedError { problems { line message } }
  }
}`;

beforeAll(async () => {
  app = await createTestApp({}, { clock: fixedClock(today) });
  token = (await app.createUser("ADMIN")).token;
  const names = ["Noisy One", "Noisy Two", "Noisy Three"];
  for (const [index, name] of names.entries()) {
    await app.db.prisma.account.create({
      data: { name, sortName: name.toLowerCase(), externalId: `ERP-N${index}`, isKeyAccount: index === 0 },
    });
  }
  const lines: Record<string, unknown>[] = [];
  const months = [
    "2025-04",
    "2025-05",
    "2025-06",
    "2026-01",
    "2026-02",
    "2026-03",
    "2026-04",
    "2026-05",
    "2026-06",
  ];
  for (const [index] of names.entries()) {
    for (const [m, month] of months.entries()) {
      for (const [k, amount] of ["0.1", "0.2", "1925.21", "1925.2", "1925.21"].entries()) {
        lines.push({
          externalLineId: `N${index}-${month}-${k}`,
          externalAccountId: `ERP-N${index}`,
          invoiceDate: `${month}-1${k}`,
          product: "Valves",
          quantity: 1,
          netAmount: (Number(amount) * (index + 1) * (1 + m / 10)).toFixed(3),
          grossMargin: (Number(amount) * 0.3 * (index + 1)).toFixed(3),
          currency: "EUR",
        });
      }
    }
  }
  const { data, errors } = await app.gql(importMutation, { lines }, token);
  expect(errors).toBeUndefined();
  expect(data.importSalesLines.__typename).toBe("MutationImportSalesLinesSuccess");
  // Re-importing some lines with other amounts moves the roll-ups by differences.
  const again = lines.slice(0, 20).map((line) => ({ ...line, netAmount: "0.7", grossMargin: "0.1" }));
  expect((await app.gql(importMutation, { lines: again }, token)).data.importSalesLines.__typename).toBe(
    "MutationImportSalesLinesSuccess",
  );
});
afterAll(() => app.close());

describe("figures through the API", () => {
  it("keeps amounts to the cent: lines, monthly roll-ups, segments, growth, risk, concentration", async () => {
    const { data, errors } = await app.gql(
      `{
        accounts(first: 10) { edges { node {
          salesLines(first: 100) { edges { node { netAmount grossMargin } } }
          monthlySales { revenue margin }
          segment { value share cumulativeShare monthlyMean standardDeviation coefficientOfVariation }
          growth { twelveMonths { current { revenue margin } previous { revenue margin } revenueChangePercent marginChangePercent }
                   threeMonths { current { revenue margin } previous { revenue margin } revenueChangePercent marginChangePercent } }
          risk { recentRevenue yearBeforeRevenue revenueDropPercent }
        } } }
        segmentMatrix { total cells { value share } }
        concentration { totalRevenue topShare keyAccountRevenue keyAccountShare
          points { revenue cumulativeAccountShare cumulativeRevenueShare } }
      }`,
      {},
      token,
    );
    expect(errors).toBeUndefined();
    const amounts: number[] = [];
    const shares: number[] = [];
    const percents: number[] = [];
    for (const { node } of data.accounts.edges) {
      for (const { node: line } of node.salesLines.edges) amounts.push(line.netAmount, line.grossMargin);
      for (const month of node.monthlySales) amounts.push(month.revenue, month.margin);
      const segment = node.segment;
      amounts.push(segment.value, segment.monthlyMean, segment.standardDeviation);
      shares.push(segment.share, segment.cumulativeShare, segment.coefficientOfVariation);
      for (const comparison of [node.growth.twelveMonths, node.growth.threeMonths]) {
        amounts.push(comparison.current.revenue, comparison.current.margin);
        amounts.push(comparison.previous.revenue, comparison.previous.margin);
        percents.push(comparison.revenueChangePercent, comparison.marginChangePercent);
      }
      amounts.push(node.risk.recentRevenue, node.risk.yearBeforeRevenue);
      percents.push(node.risk.revenueDropPercent);
    }
    amounts.push(
      data.segmentMatrix.total,
      data.concentration.totalRevenue,
      data.concentration.keyAccountRevenue,
    );
    for (const cell of data.segmentMatrix.cells) {
      amounts.push(cell.value);
      shares.push(cell.share);
    }
    shares.push(data.concentration.topShare, data.concentration.keyAccountShare);
    for (const point of data.concentration.points) {
      amounts.push(point.revenue);
      shares.push(point.cumulativeAccountShare, point.cumulativeRevenueShare);
    }

    const present = (values: (number | null)[]) => values.filter((value): value is number => value !== null);
    expect(amounts.length).toBeGreaterThan(100);
    for (const value of present(amounts)) expect(decimals(value), String(value)).toBeLessThanOrEqual(2);
    for (const value of present(shares)) expect(decimals(value), String(value)).toBeLessThanOrEqual(4);
    for (const value of present(percents)) expect(decimals(value), String(value)).toBeLessThanOrEqual(2);
    // The noise was there to remove: amounts of three decimals, sums of tenths.
    expect(amounts.some((value) => decimals(value) === 2)).toBe(true);
  });

  it("stores amounts and roll-ups to the cent", async () => {
    const lines = await app.db.prisma.salesLine.findMany({ select: { netAmount: true, grossMargin: true } });
    for (const line of lines) {
      expect(decimals(line.netAmount), String(line.netAmount)).toBeLessThanOrEqual(2);
      expect(decimals(line.grossMargin), String(line.grossMargin)).toBeLessThanOrEqual(2);
    }
    const rollups = await app.db.prisma.accountMonthlySales.findMany();
    expect(rollups.length).toBeGreaterThan(20);
    for (const rollup of rollups) {
      expect(decimals(rollup.revenue), String(rollup.revenue)).toBeLessThanOrEqual(2);
      expect(decimals(rollup.margin), String(rollup.margin)).toBeLessThanOrEqual(2);
    }
    // The first month of the first account: 0.7 × 5 after the re-import, not 3.4999999999999996.
    const first = await app.db.prisma.accountMonthlySales.findFirstOrThrow({
      where: { account: { externalId: "ERP-N0" }, month: "2025-04" },
    });
    expect(first.revenue).toBe(3.5);
  });

  it("refuses amounts beyond a trillion with the line named, and stores nothing", async () => {
    const before = await app.db.prisma.salesLine.count();
    const { data } = await app.gql(
      importMutation,
      {
        lines: [
          {
            externalLineId: "HUGE-1",
            accountId: globalId("Account", (await app.db.prisma.account.findFirstOrThrow()).id),
            invoiceDate: "2026-06-01",
            product: "Valves",
            quantity: 1,
            netAmount: "1e13",
            grossMargin: 1,
            currency: "EUR",
          },
        ],
      },
      token,
    );
    expect(data.importSalesLines.__typename).toBe("SalesImportRejectedError");
    expect(data.importSalesLines.problems[0].message).toMatch(/netAmount must be between/);
    expect(await app.db.prisma.salesLine.count()).toBe(before);
  });
});
