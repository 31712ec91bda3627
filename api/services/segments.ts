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
import { Prisma } from "../../prisma/generated/sqlite/client.ts";
import { sinceLastWrite } from "../db/since-last-write.ts";
import { ValidationError } from "../errors.ts";
import { money, share } from "../precision.ts";
import type { SystemContext } from "./context.ts";
import {
  readSettings,
  type SegmentSettingsTrial,
  type Settings,
  withTrialSegmentSettings,
} from "./settings.ts";

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
  /** The settings it was made with: the stored ones, or those tried. */
  settings: Settings;
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

/**
 * The XYZ rule, the one `classify` and the SQL path (`measuredSegment`) both apply: an account
 * with no sales in the window is Z; one with fewer months of history in the window than the
 * minimum is Z and `insufficientHistory`; one without a coefficient of variation (mean ≤ 0) is Z;
 * otherwise a coefficient of variation up to the X cut-off is X, up to the Y cut-off Y, above Z.
 */
export function xyzClass(
  coefficientOfVariation: number | null,
  historyMonths: number,
  noSalesInWindow: boolean,
  settings: Pick<Settings, "xyzCutoffX" | "xyzCutoffY" | "xyzMinimumMonths">,
): { xyz: XyzClass; insufficientHistory: boolean } {
  const insufficientHistory = !noSalesInWindow && historyMonths < settings.xyzMinimumMonths;
  const xyz: XyzClass =
    noSalesInWindow || insufficientHistory || coefficientOfVariation === null
      ? "Z"
      : coefficientOfVariation <= settings.xyzCutoffX
        ? "X"
        : coefficientOfVariation <= settings.xyzCutoffY
          ? "Y"
          : "Z";
  return { xyz, insufficientHistory };
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
    const { xyz, insufficientHistory } = xyzClass(variation, values.length, row.noSalesInWindow, settings);
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

/** Names in tie order, the way `classify` compares them. */
const byName = new Intl.Collator("en");

function monthNumber(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
}

/** One account's row of the segmentation statement; numbers arrive as the driver gives them. */
interface MeasuredRow {
  id: string;
  name: string;
  value: unknown;
  squares: unknown;
  /** 1 when every month with sales in the window has the same value. */
  level: unknown;
  present: unknown;
  months: unknown;
  total: unknown;
  cumulative: unknown;
  rank: unknown;
  abc: AbcClass;
}

/**
 * The segmentation in one statement over the roll-ups, by the rules above. Each account's value,
 * sum of squares and months with sales in the window come from one index range per account; its
 * history starts before the window when it has a roll-up there. Rank, cumulative share and ABC
 * follow over the accounts, all in the order of value (the share of the accounts ranked above is
 * the same for every account of a tie). The square root, and so XYZ, is left to `measuredSegment`:
 * SQLite builds need not have `sqrt`.
 */
function segmentationStatement(window: SegmentWindow, settings: Settings) {
  const measure = Prisma.raw(settings.segmentMeasure === "MARGIN" ? 'm."margin"' : 'm."revenue"');
  const { from, to } = window;
  return Prisma.sql`
WITH history AS (
  SELECT a."id", a."name", COALESCE(SUM(${measure}), 0) AS value, SUM(${measure} * ${measure}) AS squares,
    CASE WHEN MIN(${measure}) = MAX(${measure}) THEN 1 ELSE 0 END AS level,
    COUNT(m."month") AS present, MIN(m."month") AS first_month
  FROM "Account" a
  LEFT JOIN "AccountMonthlySales" m ON m."accountId" = a."id" AND m."month" >= ${from} AND m."month" <= ${to}
  WHERE a."archivedAt" IS NULL
  GROUP BY a."id", a."name"
),
measured AS (
  SELECT history.*,
    CASE WHEN present = 0 OR EXISTS (
        SELECT 1 FROM "AccountMonthlySales" e WHERE e."accountId" = history."id" AND e."month" < ${from})
      THEN CAST(${window.months.length} AS INTEGER)
      ELSE CAST(${monthNumber(to) + 1} AS INTEGER)
        - (CAST(SUBSTR(first_month, 1, 4) AS INTEGER) * 12 + CAST(SUBSTR(first_month, 6, 2) AS INTEGER))
    END AS months,
    CASE WHEN value > 0 THEN value ELSE 0 END AS positive
  FROM history
),
ranked AS (
  SELECT measured.*,
    SUM(positive) OVER () AS total,
    SUM(positive) OVER (ORDER BY value DESC ROWS UNBOUNDED PRECEDING) AS running,
    SUM(positive) OVER (ORDER BY value DESC GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS above,
    RANK() OVER (ORDER BY value DESC) AS rank
  FROM measured
)
SELECT "id", "name", value, squares, level, present, months, total, rank,
  CASE WHEN total > 0 THEN running / total ELSE 0 END AS cumulative,
  CASE WHEN value <= 0 THEN 'C'
    WHEN COALESCE(above, 0) / total < CAST(${settings.abcCutoffA} AS DOUBLE PRECISION) THEN 'A'
    WHEN COALESCE(above, 0) / total < CAST(${settings.abcCutoffB} AS DOUBLE PRECISION) THEN 'B'
    ELSE 'C' END AS abc
FROM ranked
ORDER BY value DESC, "name", "id"`;
}

/** An account's segment from its row: mean, deviation and XYZ computed as `classify` does. */
function measuredSegment(row: MeasuredRow, settings: Settings): AccountSegment {
  const value = Number(row.value);
  const total = Number(row.total);
  const present = Number(row.present);
  const months = Number(row.months);
  const noSalesInWindow = present === 0;
  let mean: number | null = null;
  let deviation: number | null = null;
  let variation: number | null = null;
  if (!noSalesInWindow) {
    mean = value / months;
    // Every month the same: exactly steady, whatever the rounding of the sums.
    const steady = present === months && Number(row.level) === 1;
    const variance = steady ? 0 : Number(row.squares) / months - mean * mean;
    deviation = Math.sqrt(Math.max(variance, 0));
    variation = mean > 0 ? deviation / mean : null;
  }
  const { xyz, insufficientHistory } = xyzClass(variation, months, noSalesInWindow, settings);
  return {
    accountId: row.id,
    abc: row.abc,
    xyz,
    value: money(value),
    share: share(total > 0 && value > 0 ? value / total : 0),
    cumulativeShare: share(Math.min(Number(row.cumulative), 1)),
    rank: Number(row.rank),
    activeMonths: noSalesInWindow ? 0 : months,
    monthlyMean: money(mean),
    standardDeviation: money(deviation),
    coefficientOfVariation: share(variation),
    noSalesInWindow,
    insufficientHistory,
  };
}

/**
 * Accounts with the same value come in the database's order of names; `classify` orders them by
 * locale. Within each group of equal values, puts them in that order and hands the group's
 * cumulative shares out again in it (equal values have equal shares, so only the order changes).
 */
function inNameOrder(rows: MeasuredRow[]): MeasuredRow[] {
  let start = 0;
  while (start < rows.length) {
    const value = Number((rows[start] as MeasuredRow).value);
    let end = start + 1;
    while (end < rows.length && Number((rows[end] as MeasuredRow).value) === value) end += 1;
    if (end - start > 1) {
      const group = rows.slice(start, end);
      const cumulative = group.map((row) => Number(row.cumulative)).sort((a, b) => a - b);
      group.sort((a, b) => byName.compare(a.name, b.name) || a.id.localeCompare(b.id));
      group.forEach((row, index) => {
        rows[start + index] = { ...row, cumulative: cumulative[index] };
      });
    }
    start = end;
  }
  return rows;
}

/** The tables the segmentation is read from. */
export const segmentationTables = ["Account", "AccountMonthlySales", "Setting"];

/**
 * Classifies every active account as of the context's "now", from the roll-ups: two queries. With `trial`,
 * under those segment settings instead of the stored ones (checked by the settings' rules, never
 * saved): what an admin tries before changing them.
 */
export function computeSegmentation(
  { db, clock }: SystemContext,
  trial?: SegmentSettingsTrial | null,
): Promise<Segmentation> {
  const now = clock.now();
  // The same until its tables change, within the month (its window).
  const key = `segmentation:${monthKey(now)}:${JSON.stringify(trial ?? null)}`;
  return sinceLastWrite(db, key, now, { tables: segmentationTables }, async () => {
    const stored = await readSettings(db);
    const settings = trial ? withTrialSegmentSettings(stored, trial) : stored;
    const window = segmentWindow(now, settings.segmentWindowMonths);
    const rows = await db.read<MeasuredRow>(segmentationStatement(window, settings));
    const segments = new Map<string, AccountSegment>();
    let total = 0;
    for (const row of inNameOrder(rows)) {
      total = Number(row.total);
      segments.set(row.id, measuredSegment(row, settings));
    }
    return { window, measure: settings.segmentMeasure, settings, total: money(total), segments };
  });
}

/** The segments of some classes (all when none is named), largest first. */
export function segmentsOf(
  segmentation: Pick<Segmentation, "segments">,
  classes: { abc?: readonly AbcClass[] | null; xyz?: readonly XyzClass[] | null },
): AccountSegment[] {
  const { abc, xyz } = classes;
  return [...segmentation.segments.values()]
    .filter(
      (segment) => (!abc?.length || abc.includes(segment.abc)) && (!xyz?.length || xyz.includes(segment.xyz)),
    )
    .sort((a, b) => a.rank - b.rank);
}

/** Segment settings to try: only when at least one is given, otherwise the stored ones apply. */
export function triedSettings(trial: SegmentSettingsTrial | null | undefined): SegmentSettingsTrial | null {
  return trial && Object.values(trial).some((value) => value !== null && value !== undefined) ? trial : null;
}

/** The most months of history `segmentHistory` gives. */
export const maxHistoryMonths = 36;

export interface MatrixCell {
  abc: AbcClass;
  xyz: XyzClass;
  accountCount: number;
  value: number;
  share: number;
}

/** The 3×3 grid AX…CZ, every cell present. */
export function segmentMatrix(segmentation: Pick<Segmentation, "segments">): MatrixCell[] {
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
        value: money(value),
        share: share(members.reduce((sum, segment) => sum + segment.share, 0)),
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
export async function computeSegmentHistory({ db, clock }: SystemContext, months: number) {
  if (!Number.isInteger(months) || months < 1 || months > maxHistoryMonths) {
    throw new ValidationError([{ path: "months", message: `must be from 1 to ${maxHistoryMonths}` }]);
  }
  const asOf = clock.now();
  const settings = await readSettings(db);
  const field = settings.segmentMeasure === "MARGIN" ? "margin" : "revenue";
  const latest = segmentWindow(asOf, settings.segmentWindowMonths);
  const earliestFrom = addMonths(latest.from, -(months - 1));
  const [accounts, rollups] = await Promise.all([
    db.prisma.account.findMany({ where: { archivedAt: null }, select: { id: true, name: true } }),
    db.prisma.accountMonthlySales.findMany({
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
