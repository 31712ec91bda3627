/**
 * Loss and win-back: which clients are at risk, which are lost.
 *
 * Rules (thresholds from the settings):
 * - Silence is the number of whole days (UTC calendar days) from the last invoice date to today.
 * - LONG_SILENCE: the silence exceeds both the floor (`atRiskSilenceFloorDays`) and k times the
 *   account's own median gap between consecutive distinct invoice days (`atRiskGapMultiplier`).
 *   With fewer than two purchase days there is no median and only the floor applies.
 * - REVENUE_DROP: revenue over the last 3 complete months fell by more than
 *   `atRiskRevenueDropPercent` against the same 3 months a year before; only judged when the
 *   year-before revenue is positive. Credit notes are already netted into the monthly roll-ups.
 * - LOST: no purchase for `lostAfterMonths` calendar months (the last invoice day is on or before
 *   today minus that many months). Lost takes precedence over at risk.
 * - An account that never bought is NO_PURCHASES: neither at risk nor lost.
 * - Invoice dates count by UTC day: several invoices on one day are one purchase day.
 */
import { Prisma } from "../../prisma/generated/sqlite/client.ts";
import { asModelRows } from "../db/model-rows.ts";
import { money, percent, roundTo } from "../precision.ts";
import type { SystemContext } from "./context.ts";
import { addMonths, monthKey } from "./segments.ts";
import { readSettings, type Settings } from "./settings.ts";

export type RiskStatus = "ACTIVE_BUYER" | "AT_RISK" | "LOST" | "NO_PURCHASES";
export type RiskReasonKind = "LONG_SILENCE" | "REVENUE_DROP";

export interface RiskReason {
  kind: RiskReasonKind;
  text: string;
}

export interface AccountRisk {
  accountId: string;
  status: RiskStatus;
  lastPurchaseAt: Date | null;
  silenceDays: number | null;
  medianGapDays: number | null;
  /** Revenue of the last 3 complete months. */
  recentRevenue: number;
  /** Revenue of the same 3 months a year before. */
  yearBeforeRevenue: number;
  /** How much revenue fell, in percent of the year before; null when the year before is not positive. */
  revenueDropPercent: number | null;
  reasons: RiskReason[];
}

export type RiskSettings = Pick<
  Settings,
  "atRiskSilenceFloorDays" | "atRiskGapMultiplier" | "atRiskRevenueDropPercent" | "lostAfterMonths"
>;

export interface MonthlyRevenue {
  month: string;
  revenue: number;
}

const dayMs = 86_400_000;

/** Midnight UTC of the date's day, as a day number since the epoch. */
export function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / dayMs);
}

/** The distinct purchase days, ascending, as day numbers. */
export function purchaseDays(invoiceDates: Date[]): number[] {
  return [...new Set(invoiceDates.map(dayNumber))].sort((a, b) => a - b);
}

/** Median of the gaps, in days, between consecutive distinct purchase days; null with fewer than two. */
export function medianGapDays(invoiceDates: Date[]): number | null {
  const days = purchaseDays(invoiceDates);
  if (days.length < 2) return null;
  const gaps = days
    .slice(1)
    .map((day, index) => day - (days[index] as number))
    .sort((a, b) => a - b);
  const middle = Math.floor(gaps.length / 2);
  return gaps.length % 2 === 1
    ? (gaps[middle] as number)
    : ((gaps[middle - 1] as number) + (gaps[middle] as number)) / 2;
}

/** Whole days from the last purchase day to the day of `asOf`; never negative. */
export function silenceDays(lastPurchase: Date, asOf: Date): number {
  return Math.max(0, dayNumber(asOf) - dayNumber(lastPurchase));
}

/** `asOf`'s day shifted back `months` calendar months (the 31st becomes the month's last day). */
export function monthsBefore(asOf: Date, months: number): Date {
  const year = asOf.getUTCFullYear();
  const month = asOf.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(asOf.getUTCDate(), lastDay)));
}

/** The last 3 complete months before `asOf`, and the same 3 months a year before (YYYY-MM). */
export function revenueWindows(asOf: Date): { recent: string[]; yearBefore: string[] } {
  const current = monthKey(asOf);
  const recent = [-3, -2, -1].map((offset) => addMonths(current, offset));
  return { recent, yearBefore: recent.map((month) => addMonths(month, -12)) };
}

function sumMonths(rows: MonthlyRevenue[], months: string[]): number {
  return rows.filter((row) => months.includes(row.month)).reduce((sum, row) => sum + row.revenue, 0);
}

/**
 * Whether revenue fell by more than `percent` of the year before. Compared as
 * (before − now) × 100 > percent × before, with a margin for float noise, so that exactly
 * 30% (1000 → 700) is not "more than 30%" although 0.3 × 100 is 30.000000000000004 in floats.
 */
export function droppedMoreThan(before: number, now: number, percent: number): boolean {
  return (before - now) * 100 - percent * before > 1e-9 * before;
}

const round = (value: number) => roundTo(value, 1);
const amount = (value: number) => money(value).toFixed(2);

/**
 * The risk of one account from its invoice dates (any order, duplicates allowed) and its monthly
 * revenue roll-ups (at least the 6 months of `revenueWindows`), as of `asOf`.
 */
export function assessRisk(
  accountId: string,
  invoiceDates: Date[],
  monthly: MonthlyRevenue[],
  settings: RiskSettings,
  asOf: Date,
): AccountRisk {
  const { recent, yearBefore } = revenueWindows(asOf);
  const recentRevenue = money(sumMonths(monthly, recent));
  const yearBeforeRevenue = money(sumMonths(monthly, yearBefore));
  const revenueDropPercent =
    yearBeforeRevenue > 0 ? ((yearBeforeRevenue - recentRevenue) / yearBeforeRevenue) * 100 : null;
  const base = {
    accountId,
    recentRevenue,
    yearBeforeRevenue,
    revenueDropPercent: percent(revenueDropPercent),
  };
  const days = purchaseDays(invoiceDates);
  if (days.length === 0) {
    return {
      ...base,
      status: "NO_PURCHASES",
      lastPurchaseAt: null,
      silenceDays: null,
      medianGapDays: null,
      reasons: [],
    };
  }
  const lastPurchaseAt = new Date((days[days.length - 1] as number) * dayMs);
  const silence = silenceDays(lastPurchaseAt, asOf);
  const median = medianGapDays(invoiceDates);
  const known = { ...base, lastPurchaseAt, silenceDays: silence, medianGapDays: median };

  if (dayNumber(lastPurchaseAt) <= dayNumber(monthsBefore(asOf, settings.lostAfterMonths))) {
    return {
      ...known,
      status: "LOST",
      reasons: [
        {
          kind: "LONG_SILENCE",
          text: `no purchase for ${silence} days; lost after ${settings.lostAfterMonths} months without purchase`,
        },
      ],
    };
  }

  const reasons: RiskReason[] = [];
  const floor = settings.atRiskSilenceFloorDays;
  const k = settings.atRiskGapMultiplier;
  const rhythmLimit = median === null ? null : k * median;
  if (silence > floor && (rhythmLimit === null || silence > rhythmLimit)) {
    reasons.push({
      kind: "LONG_SILENCE",
      text:
        rhythmLimit === null
          ? `no purchase for ${silence} days; more than ${floor} days (too few purchases for a usual rhythm)`
          : `no purchase for ${silence} days; usually every ${round(median as number)} days (median), ${k}x is ${round(rhythmLimit)}; more than ${floor} days`,
    });
  }
  if (
    revenueDropPercent !== null &&
    droppedMoreThan(yearBeforeRevenue, recentRevenue, settings.atRiskRevenueDropPercent)
  ) {
    reasons.push({
      kind: "REVENUE_DROP",
      text: `revenue ${recent[0]} to ${recent[2]} is ${amount(recentRevenue)}, down ${round(revenueDropPercent)}% from ${amount(yearBeforeRevenue)} a year before (${yearBefore[0]} to ${yearBefore[2]}); more than ${settings.atRiskRevenueDropPercent}%`,
    });
  }
  return { ...known, status: reasons.length ? "AT_RISK" : "ACTIVE_BUYER", reasons };
}

export interface ChurnAnalysis {
  asOf: Date;
  /** Every account that is not archived, by ID. */
  risks: Map<string, AccountRisk>;
}

/**
 * The risk of every account that is not archived, in three queries: the accounts, the distinct
 * (account, invoice date) pairs, and the roll-ups of the 6 months the revenue rule compares.
 */
export function computeChurn(context: SystemContext): Promise<ChurnAnalysis> {
  return assessAccounts(context, null);
}

/**
 * The same assessment for some accounts only (a dossier, a page): each account's risk needs only
 * its own purchases, so it is the one the whole analysis gives it, read from its lines alone.
 */
export function assessAccountRisks(
  context: SystemContext,
  accountIds: readonly string[],
): Promise<ChurnAnalysis> {
  return assessAccounts(context, accountIds);
}

async function assessAccounts(
  { db, clock }: SystemContext,
  accountIds: readonly string[] | null,
): Promise<ChurnAnalysis> {
  const asOf = clock.now();
  const { dialect } = db;
  const only = (column: string) =>
    accountIds ? Prisma.sql`AND ${dialect.inList(Prisma.raw(column), accountIds)}` : Prisma.empty;
  const settings = await readSettings(db);
  const { recent, yearBefore } = revenueWindows(asOf);
  const months = [...yearBefore, ...recent];
  // The active accounts, the days each bought on, and their revenue in the two windows.
  const [accounts, pairs, rollups] = await Promise.all([
    db.read<{ id: string }>(
      Prisma.sql`SELECT "id" FROM "Account" WHERE "archivedAt" IS NULL ${only(`"id"`)}`,
    ),
    db
      .read(Prisma.sql`SELECT s."accountId", s."invoiceDate" FROM "SalesLine" s
      JOIN "Account" a ON a."id" = s."accountId"
      WHERE a."archivedAt" IS NULL ${only(`s."accountId"`)}
      GROUP BY s."accountId", s."invoiceDate" ORDER BY s."accountId", s."invoiceDate"`)
      .then((rows) => asModelRows<{ accountId: string; invoiceDate: Date }>("SalesLine", rows)),
    db.read<MonthlyRevenue & { accountId: string }>(Prisma.sql`SELECT m."accountId", m."month", m."revenue"
      FROM "AccountMonthlySales" m JOIN "Account" a ON a."id" = m."accountId"
      WHERE a."archivedAt" IS NULL AND ${dialect.inList(Prisma.sql`m."month"`, months)} ${only(`m."accountId"`)}
      ORDER BY m."accountId", m."month"`),
  ]);
  const dates = new Map<string, Date[]>();
  for (const pair of pairs) {
    const list = dates.get(pair.accountId) ?? [];
    list.push(pair.invoiceDate);
    dates.set(pair.accountId, list);
  }
  const monthly = new Map<string, MonthlyRevenue[]>();
  for (const row of rollups) {
    const list = monthly.get(row.accountId) ?? [];
    list.push(row);
    monthly.set(row.accountId, list);
  }
  const risks = new Map<string, AccountRisk>();
  for (const { id } of accounts) {
    risks.set(id, assessRisk(id, dates.get(id) ?? [], monthly.get(id) ?? [], settings, asOf));
  }
  return { asOf, risks };
}

/** IDs of the accounts with one of the statuses. */
export function accountIdsWithStatus(analysis: ChurnAnalysis, statuses: RiskStatus[]): string[] {
  return [...analysis.risks.values()]
    .filter((risk) => statuses.includes(risk.status))
    .map((r) => r.accountId);
}
