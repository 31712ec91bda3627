/**
 * ABC-XYZ segmentation from the monthly roll-ups.
 *
 * ABC ranks accounts by the measure (revenue or gross margin) summed over the window: sorted
 * descending, an account is A while the cumulative share of the accounts ranked above it is below
 * the A cut-off (so the largest account is always A), B while it is below the B cut-off, C after.
 * XYZ classes the regularity of monthly values: coefficient of variation (population standard
 * deviation / mean) up to the X cut-off is X, up to the Y cut-off Y, above Z.
 *
 * Edge cases, decided here once:
 * - Credit notes are negative lines, already netted into the roll-ups: an account's value is net.
 * - Months without sales inside an account's history count as zero; they are what makes demand
 *   irregular.
 * - An account's history starts with its first month with sales (ERP history may predate the
 *   account in KAM). An account younger than the window is measured over the months it has;
 *   with fewer than the minimum months it is Z and marked `insufficientHistory`.
 * - Accounts with no sales in the window are C and Z, with value 0, marked `noSalesInWindow`.
 *   Accounts whose net value is zero or negative rank last and add nothing to the total.
 * - Ties: accounts with the same value share a rank (1, 2, 2, 4) and a class, the class of the
 *   first of them; cumulative shares still add up account by account, ordered by name.
 */
import type { Db } from "../db/index.ts";
import { getSettings, type Settings } from "./settings.ts";

export type AbcClass = "A" | "B" | "C";
export type XyzClass = "X" | "Y" | "Z";

export interface AccountSegment {
  accountId: string;
  abc: AbcClass;
  xyz: XyzClass;
  /** The measure summed over the window (net of credit notes). */
  value: number;
  /** value / total of positive values, 0 for value ≤ 0. */
  share: number;
  /** Share of this account and all ranked above it. */
  cumulativeShare: number;
  rank: number;
  /** Months in the account's history within the window (the XYZ denominator). */
  activeMonths: number;
  monthlyMean: number | null;
  standardDeviation: number | null;
  coefficientOfVariation: number | null;
  noSalesInWindow: boolean;
  insufficientHistory: boolean;
}

export interface SegmentWindow {
  /** First month, YYYY-MM. */
  from: string;
  /** Last month, YYYY-MM (the last complete month before the analysis date). */
  to: string;
  months: string[];
}

export interface Segmentation {
  window: SegmentWindow;
  measure: Settings["segmentMeasure"];
  total: number;
  segments: Map<string, AccountSegment>;
}

export function monthKey(date: Date): string {
  return date.toISOString().slice(0, 7);
}

export function addMonths(month: string, count: number): string {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  const date = new Date(Date.UTC(year, monthNumber - 1 + count, 1));
  return monthKey(date);
}

/** The `length` complete months ending with the month before `asOf`. */
export function segmentWindow(asOf: Date, length: number): SegmentWindow {
  const to = addMonths(monthKey(asOf), -1);
  const months = Array.from({ length }, (_, index) => addMonths(to, index - length + 1));
  return { from: months[0] as string, to, months };
}

export interface MonthlyValues {
  accountId: string;
  name: string;
  /** The first month with sales ever, YYYY-MM, or null. */
  firstSaleMonth: string | null;
  /** Measure per month inside the window. */
  byMonth: Map<string, number>;
}

/** The pure classification, given every account's monthly values in the window. */
export function classify(accounts: MonthlyValues[], window: SegmentWindow, settings: Settings) {
  const rows = accounts.map((account) => {
    const value = [...account.byMonth.values()].reduce((sum, amount) => sum + amount, 0);
    const historyStart =
      account.firstSaleMonth && account.firstSaleMonth > window.from ? account.firstSaleMonth : window.from;
    const months = window.months.filter((month) => month >= historyStart);
    const noSalesInWindow = account.byMonth.size === 0;
    return { account, value, months, noSalesInWindow };
  });
  const total = rows.reduce((sum, row) => sum + Math.max(row.value, 0), 0);
  rows.sort(
    (a, b) =>
      b.value - a.value ||
      a.account.name.localeCompare(b.account.name, "en") ||
      a.account.accountId.localeCompare(b.account.accountId),
  );

  const segments = new Map<string, AccountSegment>();
  let cumulative = 0;
  let previous: { value: number; rank: number; abc: AbcClass } | null = null;
  rows.forEach((row, index) => {
    const share = total > 0 && row.value > 0 ? row.value / total : 0;
    const tied = previous !== null && previous.value === row.value;
    const rank = tied && previous ? previous.rank : index + 1;
    const abc: AbcClass =
      tied && previous
        ? previous.abc
        : row.value <= 0
          ? "C"
          : cumulative < settings.abcCutoffA
            ? "A"
            : cumulative < settings.abcCutoffB
              ? "B"
              : "C";
    cumulative += share;
    previous = { value: row.value, rank, abc };

    const values = row.months.map((month) => row.account.byMonth.get(month) ?? 0);
    const insufficientHistory = !row.noSalesInWindow && values.length < settings.xyzMinimumMonths;
    let mean: number | null = null;
    let deviation: number | null = null;
    let variation: number | null = null;
    if (values.length > 0 && !row.noSalesInWindow) {
      mean = values.reduce((sum, amount) => sum + amount, 0) / values.length;
      deviation = Math.sqrt(
        values.reduce((sum, amount) => sum + (amount - (mean as number)) ** 2, 0) / values.length,
      );
      variation = mean > 0 ? deviation / mean : null;
    }
    const xyz: XyzClass =
      row.noSalesInWindow || insufficientHistory || variation === null
        ? "Z"
        : variation <= settings.xyzCutoffX
          ? "X"
          : variation <= settings.xyzCutoffY
            ? "Y"
            : "Z";
    segments.set(row.account.accountId, {
      accountId: row.account.accountId,
      abc,
      xyz,
      value: row.value,
      share,
      cumulativeShare: Math.min(cumulative, 1),
      rank,
      activeMonths: row.noSalesInWindow ? 0 : values.length,
      monthlyMean: mean,
      standardDeviation: deviation,
      coefficientOfVariation: variation,
      noSalesInWindow: row.noSalesInWindow,
      insufficientHistory,
    });
  });
  return { total, segments };
}

/** Classifies every active account as of a date, from the roll-ups: three queries. */
export async function computeSegmentation(db: Db, asOf = new Date()): Promise<Segmentation> {
  const settings = await getSettings(db);
  const window = segmentWindow(asOf, settings.segmentWindowMonths);
  const field = settings.segmentMeasure === "MARGIN" ? "margin" : "revenue";
  const [accounts, rollups, firstSales] = await Promise.all([
    db.account.findMany({ where: { archivedAt: null }, select: { id: true, name: true } }),
    db.accountMonthlySales.findMany({
      where: { month: { gte: window.from, lte: window.to }, account: { archivedAt: null } },
      select: { accountId: true, month: true, revenue: true, margin: true },
    }),
    db.accountMonthlySales.groupBy({
      by: ["accountId"],
      where: { month: { lte: window.to }, account: { archivedAt: null } },
      _min: { month: true },
    }),
  ]);
  const byAccount = new Map<string, Map<string, number>>();
  for (const row of rollups) {
    const months = byAccount.get(row.accountId) ?? new Map<string, number>();
    months.set(row.month, row[field]);
    byAccount.set(row.accountId, months);
  }
  const first = new Map(firstSales.map((row) => [row.accountId, row._min.month]));
  const { total, segments } = classify(
    accounts.map((account) => ({
      accountId: account.id,
      name: account.name,
      firstSaleMonth: first.get(account.id) ?? null,
      byMonth: byAccount.get(account.id) ?? new Map(),
    })),
    window,
    settings,
  );
  return { window, measure: settings.segmentMeasure, total, segments };
}

export interface MatrixCell {
  abc: AbcClass;
  xyz: XyzClass;
  accountCount: number;
  value: number;
  share: number;
}

/** The 3×3 grid AX…CZ, every cell present. */
export function segmentMatrix(segmentation: Segmentation): MatrixCell[] {
  const cells: MatrixCell[] = [];
  for (const abc of ["A", "B", "C"] as const) {
    for (const xyz of ["X", "Y", "Z"] as const) {
      const members = [...segmentation.segments.values()].filter(
        (segment) => segment.abc === abc && segment.xyz === xyz,
      );
      const value = members.reduce((sum, segment) => sum + segment.value, 0);
      cells.push({
        abc,
        xyz,
        accountCount: members.length,
        value,
        share: members.reduce((sum, segment) => sum + segment.share, 0),
      });
    }
  }
  return cells;
}

export interface SegmentHistoryEntry {
  /** The last month of the window the classes were computed over, YYYY-MM. */
  month: string;
  abc: AbcClass;
  xyz: XyzClass;
  /** The cell the month before, when it differs (a move such as AX → BY). */
  movedFrom: string | null;
}

/**
 * Every account's classes as they were at the end of each of the last `months` months, from the
 * same roll-ups and settings: two queries, whatever the number of months.
 */
export async function computeSegmentHistory(db: Db, months: number, asOf = new Date()) {
  const settings = await getSettings(db);
  const field = settings.segmentMeasure === "MARGIN" ? "margin" : "revenue";
  const latest = segmentWindow(asOf, settings.segmentWindowMonths);
  const earliestFrom = addMonths(latest.from, -(months - 1));
  const [accounts, rollups] = await Promise.all([
    db.account.findMany({ where: { archivedAt: null }, select: { id: true, name: true } }),
    db.accountMonthlySales.findMany({
      where: { month: { lte: latest.to }, account: { archivedAt: null } },
      select: { accountId: true, month: true, revenue: true, margin: true },
    }),
  ]);
  const firstSale = new Map<string, string>();
  const byAccount = new Map<string, Map<string, number>>();
  for (const row of rollups) {
    const known = firstSale.get(row.accountId);
    if (!known || row.month < known) firstSale.set(row.accountId, row.month);
    if (row.month < earliestFrom) continue;
    const values = byAccount.get(row.accountId) ?? new Map<string, number>();
    values.set(row.month, row[field]);
    byAccount.set(row.accountId, values);
  }
  const history = new Map<string, SegmentHistoryEntry[]>(accounts.map((account) => [account.id, []]));
  for (let step = months - 1; step >= 0; step -= 1) {
    const to = addMonths(latest.to, -step);
    const window = segmentWindow(new Date(`${addMonths(to, 1)}-01T00:00:00Z`), settings.segmentWindowMonths);
    const inWindow = new Set(window.months);
    const { segments } = classify(
      accounts.map((account) => {
        const first = firstSale.get(account.id) ?? null;
        const values = new Map(
          [...(byAccount.get(account.id) ?? new Map<string, number>())].filter(([month]) =>
            inWindow.has(month),
          ),
        );
        return {
          accountId: account.id,
          name: account.name,
          firstSaleMonth: first && first <= window.to ? first : null,
          byMonth: values,
        };
      }),
      window,
      settings,
    );
    for (const [accountId, segment] of segments) {
      const entries = history.get(accountId) as SegmentHistoryEntry[];
      const previous = entries.at(-1);
      const cell = `${segment.abc}${segment.xyz}`;
      const previousCell = previous ? `${previous.abc}${previous.xyz}` : null;
      entries.push({
        month: to,
        abc: segment.abc,
        xyz: segment.xyz,
        movedFrom: previousCell && previousCell !== cell ? previousCell : null,
      });
    }
  }
  return history;
}
