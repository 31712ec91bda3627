/**
 * Client types (the articles' four): breadwinner, prospect, image-maker, expert.
 *
 * Breadwinner and prospect are computed from the monthly roll-ups; image-maker and expert are
 * judgements that people record on the account, so they are only read back here.
 *
 * Rules, decided here once:
 * - Breadwinner: the account's gross margin over the segment window is 10% or more of the total
 *   gross margin of all active accounts over the same window. As in ABC, an account's margin is
 *   net of credit notes, and accounts whose net margin is zero or negative add nothing to the
 *   total (and are never breadwinners). Exactly 10% counts.
 * - Prospect: the account has never had a sale (any month, the current one included), or it is
 *   young (created on or after the first day of the window) and people recorded that it has a
 *   budget. Both reasons are given when both hold.
 * - Archived accounts are not classified.
 */
import { Prisma } from "../../prisma/generated/sqlite/client.ts";
import { asModelRows } from "../db/model-rows.ts";
import { sinceLastWrite } from "../db/since-last-write.ts";
import type { SystemContext } from "./context.ts";
import { monthKey, type SegmentWindow, segmentWindow } from "./segments.ts";
import { readSettings } from "./settings.ts";

export type ClientTypeKind = "BREADWINNER" | "PROSPECT" | "IMAGE_MAKER" | "EXPERT";

export interface ClientType {
  type: ClientTypeKind;
  reason: string;
}

/** The share of total gross margin from which an account is a breadwinner (the articles: 10%). */
export const breadwinnerMarginShare = 0.1;

/** Margins are sums of decimals: a share a hair under 10% from rounding still counts as 10%. */
const shareTolerance = 1e-9;

export interface ClientTypeAccount {
  accountId: string;
  createdAt: Date;
  hasBudget: boolean | null;
  isImageMaker: boolean;
  isExpert: boolean;
  /** Whether the account has ever had a sale. */
  hasSales: boolean;
  /** Gross margin over the window, net of credit notes. */
  windowMargin: number;
}

export interface ClientTypes {
  window: SegmentWindow;
  /** Sum of the positive window margins. */
  totalMargin: number;
  byAccount: Map<string, ClientType[]>;
}

/** The first instant of the window's first month, UTC. */
export function windowStart(window: SegmentWindow): Date {
  return new Date(`${window.from}-01T00:00:00Z`);
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** The pure rules, given every active account's facts. */
export function classifyClientTypes(
  accounts: ClientTypeAccount[],
  window: SegmentWindow,
  /** The sum of the positive window margins of the whole portfolio, when `accounts` is part of it. */
  portfolioMargin?: number,
): { totalMargin: number; byAccount: Map<string, ClientType[]> } {
  const totalMargin =
    portfolioMargin ?? accounts.reduce((sum, account) => sum + Math.max(account.windowMargin, 0), 0);
  const start = windowStart(window);
  const span = `${window.from} … ${window.to}`;
  const byAccount = new Map<string, ClientType[]>();
  for (const account of accounts) {
    const types: ClientType[] = [];
    const share = totalMargin > 0 && account.windowMargin > 0 ? account.windowMargin / totalMargin : 0;
    if (share > 0 && share >= breadwinnerMarginShare - shareTolerance) {
      types.push({
        type: "BREADWINNER",
        reason: `brings ${formatPercent(share)} of gross margin over ${span}`,
      });
    }
    const prospectReasons: string[] = [];
    if (!account.hasSales) prospectReasons.push("no sales yet");
    if (account.createdAt >= start && account.hasBudget === true) {
      prospectReasons.push(
        `new: created ${account.createdAt.toISOString().slice(0, 10)}, within ${span}, with a budget`,
      );
    }
    if (prospectReasons.length) types.push({ type: "PROSPECT", reason: prospectReasons.join("; ") });
    if (account.isImageMaker) types.push({ type: "IMAGE_MAKER", reason: "set by people" });
    if (account.isExpert) types.push({ type: "EXPERT", reason: "set by people" });
    byAccount.set(account.accountId, types);
  }
  return { totalMargin, byAccount };
}

/** The tables client types are read from. */
export const clientTypeTables = ["Account", "AccountMonthlySales", "Setting"];

/**
 * Client types of every active account as of a date, or of some of them (the breadwinner share is
 * still of the whole portfolio's margin): two statements, whatever the number of accounts.
 */
export function computeClientTypes(
  { db, clock }: SystemContext,
  accountIds: readonly string[] | null = null,
): Promise<ClientTypes> {
  const asOf = clock.now();
  // The same until its tables change, within the month (its window).
  const key = `clientTypes:${monthKey(asOf)}:${accountIds ? JSON.stringify(accountIds) : "all"}`;
  return sinceLastWrite(db, key, asOf, { tables: clientTypeTables }, () =>
    readClientTypes(db, asOf, accountIds),
  );
}

async function readClientTypes(
  db: SystemContext["db"],
  asOf: Date,
  accountIds: readonly string[] | null,
): Promise<ClientTypes> {
  const settings = await readSettings(db);
  const window = segmentWindow(asOf, settings.segmentWindowMonths);
  // Each (shown) active account with its margin over the window and whether it has ever sold,
  // beside the sum of the positive margins of all of them.
  const rows = asModelRows<{
    id: string;
    createdAt: Date;
    hasBudget: boolean | null;
    isImageMaker: boolean;
    isExpert: boolean;
    windowMargin: unknown;
    hasSales: unknown;
    totalMargin: unknown;
  }>(
    "Account",
    await db.read(Prisma.sql`WITH margins AS (
        SELECT m."accountId", SUM(m."margin") AS margin FROM "AccountMonthlySales" m
        JOIN "Account" a ON a."id" = m."accountId"
        WHERE a."archivedAt" IS NULL AND m."month" >= ${window.from} AND m."month" <= ${window.to}
        GROUP BY m."accountId"
      )
      SELECT a."id", a."createdAt", a."hasBudget", a."isImageMaker", a."isExpert", g.margin AS "windowMargin",
        CASE WHEN EXISTS (SELECT 1 FROM "AccountMonthlySales" m WHERE m."accountId" = a."id" AND m."lineCount" > 0)
          THEN 1 ELSE 0 END AS "hasSales",
        (SELECT SUM(CASE WHEN margin > 0 THEN margin ELSE 0 END) FROM margins) AS "totalMargin"
      FROM "Account" a LEFT JOIN margins g ON g."accountId" = a."id"
      WHERE a."archivedAt" IS NULL
        ${accountIds ? Prisma.sql`AND ${db.dialect.inList(Prisma.sql`a."id"`, accountIds)}` : Prisma.empty}`),
  );
  const { totalMargin, byAccount } = classifyClientTypes(
    rows.map((account) => ({
      accountId: account.id,
      createdAt: account.createdAt,
      hasBudget: account.hasBudget,
      isImageMaker: account.isImageMaker,
      isExpert: account.isExpert,
      hasSales: Number(account.hasSales) === 1,
      windowMargin: Number(account.windowMargin ?? 0),
    })),
    window,
    Number(rows[0]?.totalMargin ?? 0),
  );
  return { window, totalMargin, byAccount };
}
