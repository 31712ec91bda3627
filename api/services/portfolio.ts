/**
 * The portfolio as a whole: each account's growth, how concentrated revenue is, and how many key
 * accounts each manager carries. Everything is computed from the monthly roll-ups with a fixed
 * number of queries, whatever the number of accounts.
 *
 * Rules, decided here once:
 * - Growth compares complete months only (the current month is still being invoiced): the last 12
 *   complete months against the 12 before them, and the last 3 complete months against the same 3
 *   months a year before. The change is (current − previous) / |previous| × 100, and null when the
 *   previous value is 0 (no base to compare with). Values are net of credit notes.
 * - Concentration looks at revenue over the segment window, active accounts only, and only the
 *   accounts with positive net revenue there: accounts that bought nothing are not clients of the
 *   period and would flatten the Pareto curve. Ties keep a stable order: name, then ID.
 * - The share of the top 20% of accounts is read off the Pareto curve at 20% of accounts,
 *   interpolating linearly between ranks when 20% of the accounts is not a whole number.
 * - Key accounts usually make 30-55% of revenue; above 75% is mono-dependency (an alert), below 30%
 *   gets a note.
 * - Workload counts active (not archived) accounts by owner. Every active MANAGER is listed, and
 *   anyone else (an admin, or a person since deactivated) who owns key accounts.
 */
import { Prisma, type Role } from "../../prisma/generated/sqlite/client.ts";
import { money, percent, share } from "../precision.ts";
import { formatPercent } from "./client-types.ts";
import type { SystemContext } from "./context.ts";
import { addMonths, type SegmentWindow, segmentWindow } from "./segments.ts";
import { readSettings } from "./settings.ts";

export interface MonthlySalesRow {
  accountId: string;
  month: string;
  revenue: number;
  margin: number;
}

// --- Growth -------------------------------------------------------------------------------------

export interface MonthSpan {
  /** First month, YYYY-MM. */
  from: string;
  /** Last month, YYYY-MM. */
  to: string;
}

export interface PeriodSales extends MonthSpan {
  revenue: number;
  margin: number;
}

export interface GrowthComparison {
  current: PeriodSales;
  previous: PeriodSales;
  /** Null when the previous revenue is 0. */
  revenueChangePercent: number | null;
  /** Null when the previous margin is 0. */
  marginChangePercent: number | null;
}

export interface AccountGrowth {
  /** The last 12 complete months against the 12 before them. */
  twelveMonths: GrowthComparison;
  /** The last 3 complete months against the same 3 months a year before. */
  threeMonths: GrowthComparison;
}

export interface GrowthPeriods {
  last12: MonthSpan;
  previous12: MonthSpan;
  last3: MonthSpan;
  previous3: MonthSpan;
}

export function growthPeriods(asOf: Date): GrowthPeriods {
  const last12 = segmentWindow(asOf, 12);
  const last3 = segmentWindow(asOf, 3);
  const yearBefore = (span: MonthSpan) => ({ from: addMonths(span.from, -12), to: addMonths(span.to, -12) });
  return {
    last12: { from: last12.from, to: last12.to },
    previous12: yearBefore(last12),
    last3: { from: last3.from, to: last3.to },
    previous3: yearBefore(last3),
  };
}

export function changePercent(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return ((current - previous) / Math.abs(previous)) * 100;
}

function periodSales(rows: MonthlySalesRow[], span: MonthSpan): PeriodSales {
  let revenue = 0;
  let margin = 0;
  for (const row of rows) {
    if (row.month < span.from || row.month > span.to) continue;
    revenue += row.revenue;
    margin += row.margin;
  }
  return { ...span, revenue: money(revenue), margin: money(margin) };
}

function compare(rows: MonthlySalesRow[], current: MonthSpan, previous: MonthSpan): GrowthComparison {
  const now = periodSales(rows, current);
  const before = periodSales(rows, previous);
  return {
    current: now,
    previous: before,
    revenueChangePercent: percent(changePercent(now.revenue, before.revenue)),
    marginChangePercent: percent(changePercent(now.margin, before.margin)),
  };
}

/** One account's growth, from its roll-up rows (any months; those outside the periods are ignored). */
export function accountGrowth(rows: MonthlySalesRow[], periods: GrowthPeriods): AccountGrowth {
  return {
    twelveMonths: compare(rows, periods.last12, periods.previous12),
    threeMonths: compare(rows, periods.last3, periods.previous3),
  };
}

/** Every account's growth from all their roll-up rows; accounts without rows are not in the map. */
export function growthByAccount(rows: MonthlySalesRow[], periods: GrowthPeriods): Map<string, AccountGrowth> {
  const byAccount = new Map<string, MonthlySalesRow[]>();
  for (const row of rows) {
    const list = byAccount.get(row.accountId) ?? [];
    list.push(row);
    byAccount.set(row.accountId, list);
  }
  return new Map([...byAccount].map(([accountId, list]) => [accountId, accountGrowth(list, periods)]));
}

export interface Growth {
  periods: GrowthPeriods;
  byAccount: Map<string, AccountGrowth>;
  /** The growth of an account without sales in the 24 months: zeros, changes null. */
  none: AccountGrowth;
}

/** Every account's growth as of a date: one query. */
/**
 * Every account's growth, or some accounts' only (a dossier, a page): an account's growth needs
 * only its own months, so it is the same either way.
 */
export async function computeGrowth(
  { db, clock }: SystemContext,
  accountIds: readonly string[] | null = null,
): Promise<Growth> {
  const asOf = clock.now();
  const periods = growthPeriods(asOf);
  const rows = await db.read<{ accountId: string; month: string; revenue: number; margin: number }>(
    Prisma.sql`SELECT "accountId", "month", "revenue", "margin" FROM "AccountMonthlySales"
      WHERE "month" >= ${periods.previous12.from} AND "month" <= ${periods.last12.to}
      ${accountIds ? Prisma.sql`AND ${db.dialect.inList(Prisma.sql`"accountId"`, accountIds)}` : Prisma.empty}
      ORDER BY "accountId", "month"`,
  );
  return { periods, byAccount: growthByAccount(rows, periods), none: accountGrowth([], periods) };
}

// --- Concentration --------------------------------------------------------------------------------

/** Pareto: the share of accounts the top-share figure looks at. */
export const paretoAccountShare = 0.2;
/** Key accounts above this share of revenue: mono-dependency. */
export const monoDependencyShare = 0.75;
/** Key accounts usually make 30-55% of revenue (the articles). */
export const usualKeyAccountShare = { low: 0.3, high: 0.55 } as const;

export type ConcentrationAlert = "MONO_DEPENDENCY";

export interface ConcentrationAccount {
  accountId: string;
  name: string;
  isKeyAccount: boolean;
  /** Revenue over the window, net of credit notes. */
  revenue: number;
}

export interface ParetoPoint {
  rank: number;
  accountId: string;
  revenue: number;
  /** rank / number of accounts on the curve. */
  cumulativeAccountShare: number;
  /** Revenue of this account and all ranked above it / total. */
  cumulativeRevenueShare: number;
}

export interface Concentration {
  window: SegmentWindow;
  /** Total revenue of the accounts on the curve. */
  totalRevenue: number;
  /** Accounts with positive revenue in the window: the curve's points. */
  accountCount: number;
  points: ParetoPoint[];
  /** The share of revenue from the top 20% of accounts. */
  topShare: number;
  keyAccountRevenue: number;
  keyAccountShare: number;
  alert: ConcentrationAlert | null;
  note: string | null;
}

/** The pure figures, given every active account's revenue over the window. */
export function concentration(accounts: ConcentrationAccount[], window: SegmentWindow): Concentration {
  const clients = accounts
    .filter((account) => account.revenue > 0)
    .sort(
      (a, b) =>
        b.revenue - a.revenue || a.name.localeCompare(b.name, "en") || a.accountId.localeCompare(b.accountId),
    );
  const totalRevenue = clients.reduce((sum, account) => sum + account.revenue, 0);
  const count = clients.length;
  let cumulative = 0;
  const points = clients.map((account, index) => {
    cumulative += account.revenue;
    return {
      rank: index + 1,
      accountId: account.accountId,
      revenue: money(account.revenue),
      cumulativeAccountShare: share((index + 1) / count),
      cumulativeRevenueShare: share(Math.min(cumulative / totalRevenue, 1)),
    };
  });
  const keyAccountRevenue = clients
    .filter((account) => account.isKeyAccount)
    .reduce((sum, account) => sum + account.revenue, 0);
  const keyAccountShare = totalRevenue > 0 ? keyAccountRevenue / totalRevenue : 0;
  const { alert, note } = keyAccountVerdict(keyAccountShare, totalRevenue);
  return {
    window,
    totalRevenue: money(totalRevenue),
    accountCount: count,
    points,
    topShare: share(shareOfTop(points, paretoAccountShare)),
    keyAccountRevenue: money(keyAccountRevenue),
    keyAccountShare: share(keyAccountShare),
    alert,
    note,
  };
}

/** The curve read at a share of accounts, interpolating between ranks. */
export function shareOfTop(
  points: Pick<ParetoPoint, "cumulativeRevenueShare">[],
  accountShare: number,
): number {
  if (points.length === 0) return 0;
  const position = accountShare * points.length;
  const whole = Math.floor(position);
  const below = whole === 0 ? 0 : (points[whole - 1]?.cumulativeRevenueShare ?? 1);
  const above = points[whole]?.cumulativeRevenueShare ?? below;
  return below + (above - below) * (position - whole);
}

export function keyAccountVerdict(
  share: number,
  totalRevenue: number,
): { alert: ConcentrationAlert | null; note: string | null } {
  if (totalRevenue <= 0) return { alert: null, note: "No revenue in the window." };
  const usual = `they usually make ${Math.round(usualKeyAccountShare.low * 100)}-${Math.round(usualKeyAccountShare.high * 100)}%`;
  if (share > monoDependencyShare) {
    return {
      alert: "MONO_DEPENDENCY",
      note: `Key accounts make ${formatPercent(share)} of revenue, above ${Math.round(monoDependencyShare * 100)}%: mono-dependency on a few clients.`,
    };
  }
  if (share < usualKeyAccountShare.low) {
    return { alert: null, note: `Key accounts make ${formatPercent(share)} of revenue; ${usual}.` };
  }
  return { alert: null, note: null };
}

/** Concentration as of a date: three queries. */
export async function computeConcentration({ db, clock }: SystemContext): Promise<Concentration> {
  const asOf = clock.now();
  const settings = await readSettings(db);
  const window = segmentWindow(asOf, settings.segmentWindowMonths);
  const [accounts, revenues] = await Promise.all([
    db.prisma.account.findMany({
      where: { archivedAt: null },
      select: { id: true, name: true, isKeyAccount: true },
    }),
    db.prisma.accountMonthlySales.groupBy({
      by: ["accountId"],
      where: { month: { gte: window.from, lte: window.to }, account: { archivedAt: null } },
      _sum: { revenue: true },
    }),
  ]);
  // To the cent: equal revenues tie whatever the order their months were summed in.
  const revenueOf = new Map(revenues.map((row) => [row.accountId, money(row._sum.revenue ?? 0)]));
  return concentration(
    accounts.map((account) => ({
      accountId: account.id,
      name: account.name,
      isKeyAccount: account.isKeyAccount,
      revenue: revenueOf.get(account.id) ?? 0,
    })),
    window,
  );
}

// --- Workload -------------------------------------------------------------------------------------

export interface WorkloadUser {
  id: string;
  name: string;
  role: Role;
  deactivatedAt: Date | null;
}

export interface OwnedAccounts {
  ownerId: string;
  isKeyAccount: boolean;
  count: number;
}

export interface ManagerWorkload<U extends WorkloadUser = WorkloadUser> {
  manager: U;
  keyAccountCount: number;
  accountCount: number;
  cap: number;
  overCap: boolean;
  warning: string | null;
}

/**
 * Each manager's load, the ones over the cap first, then by key accounts carried, then by name.
 * `users` may hold anyone; the rule of who is listed is applied here.
 */
export function workload<U extends WorkloadUser>(
  users: U[],
  owned: OwnedAccounts[],
  cap: number,
): ManagerWorkload<U>[] {
  const keyCount = new Map<string, number>();
  const allCount = new Map<string, number>();
  for (const row of owned) {
    allCount.set(row.ownerId, (allCount.get(row.ownerId) ?? 0) + row.count);
    if (row.isKeyAccount) keyCount.set(row.ownerId, (keyCount.get(row.ownerId) ?? 0) + row.count);
  }
  return users
    .filter(
      (user) => (user.role === "MANAGER" && user.deactivatedAt === null) || (keyCount.get(user.id) ?? 0) > 0,
    )
    .map((user) => {
      const keyAccountCount = keyCount.get(user.id) ?? 0;
      const overCap = keyAccountCount > cap;
      return {
        manager: user,
        keyAccountCount,
        accountCount: allCount.get(user.id) ?? 0,
        cap,
        overCap,
        warning: overCap
          ? `${user.name} carries ${keyAccountCount} key accounts, above the cap of ${cap}: hand some over.`
          : null,
      };
    })
    .sort(
      (a, b) =>
        Number(b.overCap) - Number(a.overCap) ||
        b.keyAccountCount - a.keyAccountCount ||
        a.manager.name.localeCompare(b.manager.name, "en") ||
        a.manager.id.localeCompare(b.manager.id),
    );
}

/** Every manager's load: three queries. */
export async function computeWorkload({ db }: SystemContext) {
  const [settings, owned] = await Promise.all([
    readSettings(db),
    db.prisma.account.groupBy({
      by: ["ownerId", "isKeyAccount"],
      where: { archivedAt: null, ownerId: { not: null } },
      _count: { _all: true },
    }),
  ]);
  const counts = owned.map((row) => ({
    ownerId: row.ownerId as string,
    isKeyAccount: row.isKeyAccount,
    count: row._count._all,
  }));
  const keyOwners = [...new Set(counts.filter((row) => row.isKeyAccount).map((row) => row.ownerId))];
  const users = await db.prisma.user.findMany({
    where: { OR: [{ role: "MANAGER", deactivatedAt: null }, { id: { in: keyOwners } }] },
  });
  return workload(users, counts, settings.keyAccountCap);
}
