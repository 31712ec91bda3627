/**
 * The weighted score, computed in the database in one statement for a page of accounts: each
 * account's score and completeness, its rank among all accounts, its percentile, whether the set's
 * rule would make it key, its score 90 days before, and its criterion scores (the matrix's cells).
 *
 * The arithmetic, per account and criteria set, over the criteria the account has been scored on:
 *   mean        = Σ(weight × score) / Σ(weight of the scored criteria)          (1 … 10)
 *   score       = (mean − 1) / 9 × 100, rounded to 2 decimals                   (0 … 100)
 *   completeness = Σ(weight of the scored criteria) / Σ(weight of all criteria)  (0 … 1)
 * An account with no scored criterion has no score and no rank (it is not given zeros).
 * Ranks are competition ranks (1, 1, 3): equal scores share a rank. The percentile is the share of
 * ranked accounts scoring lower, 0-100 (100 when only one account is ranked).
 * Key-account selection looks only at eligible accounts: scored, complete enough (the set's
 * minCompleteness) and not lost. TOP_N: eligible accounts ranked N-th or better among eligible
 * ones (ties at the N-th place included); THRESHOLD: eligible accounts scoring at least the
 * threshold. Archived accounts are left out of everything.
 */
import { Prisma } from "../../prisma/generated/sqlite/client.ts";
import type { Database } from "../db/index.ts";
import type { CriteriaSetWithCriteria } from "./criteria-sets.ts";

export const trendDays = 90;

export type RankingOrderField = "SCORE" | "NAME" | "COMPLETENESS" | "CRITERION";

export interface RankingOptions {
  /** Scores as they stood at that instant; current scores when left out. */
  asOf?: Date | null;
  /** Only these accounts (ranks stay those among all accounts). */
  accountIds?: readonly string[] | null;
  /** Only the accounts whose key-account flag differs from what the rule says. */
  onlyRuleChanges?: boolean;
  orderBy?: { field: RankingOrderField; direction: "ASC" | "DESC"; criterionId?: string | null };
  limit?: number | null;
  offset?: number;
  /** Also read each account's criterion scores. */
  withCells?: boolean;
  /** Also compute the score 90 days before (trend). */
  withTrend?: boolean;
}

export interface ScoreCell {
  criterionId: string;
  value: number;
  evidence: string | null;
  evidenceUrl: string | null;
  authorLabel: string;
  scoredAt: Date;
}

export interface RankedAccount {
  accountId: string;
  name: string;
  status: string;
  isKeyAccount: boolean;
  /** 0-100, null when nothing is scored. */
  score: number | null;
  completeness: number;
  rank: number | null;
  percentile: number | null;
  eligible: boolean;
  wouldBeKey: boolean;
  previousScore: number | null;
  trend: number | null;
  cells: ScoreCell[];
}

export interface Ranking {
  rows: RankedAccount[];
  /** Rows matching before paging. */
  totalCount: number;
  /** The lowest score that makes an eligible account key today (null: any eligible account is). */
  keyThreshold: number | null;
  asOf: Date;
}

/** How each database stores Prisma's DateTime, so that raw comparisons match Prisma's own. */
function timestamp(kind: Database["kind"], date: Date): Prisma.Sql {
  const iso = date.toISOString();
  return kind === "postgres"
    ? Prisma.sql`CAST(${iso.slice(0, 23).replace("T", " ")} AS TIMESTAMP(3))`
    : Prisma.sql`${iso.replace("Z", "+00:00")}`;
}

/** Membership in a list sent as one JSON parameter, whatever its length. */
export function inJsonList(kind: Database["kind"], column: Prisma.Sql, ids: readonly string[]): Prisma.Sql {
  const json = JSON.stringify(ids);
  return kind === "postgres"
    ? Prisma.sql`${column} IN (SELECT jsonb_array_elements_text(CAST(${json} AS jsonb)))`
    : Prisma.sql`${column} IN (SELECT value FROM json_each(${json}))`;
}

/** Scores as rows (aid, cid, value, evidence, evidence_url, author_label, scored_at). */
function scoresSql(kind: Database["kind"], asOf: Date | null, onlyAccounts?: Prisma.Sql): Prisma.Sql {
  if (!asOf) {
    return Prisma.sql`SELECT "accountId" AS aid, "criterionId" AS cid, "value" AS value, "evidence" AS evidence,
      "evidenceUrl" AS evidence_url, "authorLabel" AS author_label, "scoredAt" AS scored_at FROM "Score"
      ${onlyAccounts ? Prisma.sql`WHERE "accountId" IN (${onlyAccounts})` : Prisma.empty}`;
  }
  return Prisma.sql`SELECT aid, cid, value, evidence, evidence_url, author_label, scored_at FROM (
      SELECT "accountId" AS aid, "criterionId" AS cid, "value" AS value, "evidence" AS evidence,
        "evidenceUrl" AS evidence_url, "authorLabel" AS author_label, "changedAt" AS scored_at,
        ROW_NUMBER() OVER (PARTITION BY "accountId", "criterionId" ORDER BY "changedAt" DESC, "id" DESC) AS rn
      FROM "ScoreChange" WHERE "changedAt" <= ${timestamp(kind, asOf)}
      ${onlyAccounts ? Prisma.sql`AND "accountId" IN (${onlyAccounts})` : Prisma.empty}
    ) history WHERE rn = 1 AND value IS NOT NULL`;
}

/** The 0-100 score from Σ(weight × score) and Σ(weight), as the database computes it. */
function scoreExpression(kind: Database["kind"], weighted: string, weights: string): Prisma.Sql {
  const real = Prisma.raw(kind === "postgres" ? "DOUBLE PRECISION" : "REAL");
  return Prisma.sql`CASE WHEN ${Prisma.raw(weights)} > 0 THEN CAST(ROUND(CAST(((${Prisma.raw(weighted)} / ${Prisma.raw(weights)}) - 1) * 100.0 / 9 AS NUMERIC), 2) AS ${real}) END`;
}

/** The same rounding in JavaScript, for the explanation's what-ifs. */
export function weightedScore(weighted: number, weights: number): number | null {
  if (weights <= 0) return null;
  return Math.round(((weighted / weights - 1) * 100 * 100) / 9) / 100;
}

function orderSql(order: RankingOptions["orderBy"]): Prisma.Sql {
  const dir = Prisma.raw(order?.direction === "ASC" ? "ASC" : "DESC");
  const byName = Prisma.sql`sort_name ASC, aid ASC`;
  switch (order?.field ?? "SCORE") {
    case "NAME":
      return Prisma.sql`sort_name ${Prisma.raw(order?.direction === "DESC" ? "DESC" : "ASC")}, aid ASC`;
    case "COMPLETENESS":
      return Prisma.sql`completeness ${dir}, score DESC NULLS LAST, ${byName}`;
    case "CRITERION":
      return Prisma.sql`order_value ${dir} NULLS LAST, score DESC NULLS LAST, ${byName}`;
    default:
      return Prisma.sql`score ${dir} NULLS LAST, ${byName}`;
  }
}

const number = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));

/** One statement, one round trip: the ranking of every account, and the requested page of it. */
export async function rankAccounts(
  db: Database,
  set: CriteriaSetWithCriteria,
  options: RankingOptions = {},
): Promise<Ranking> {
  const kind = db.kind;
  const asOf = options.asOf ?? null;
  const rule =
    set.keyAccountRule === "TOP_N"
      ? Prisma.sql`CASE WHEN key_rank <= ${set.keyAccountCount ?? 0} THEN 1 ELSE 0 END`
      : Prisma.sql`CASE WHEN eligible = 1 AND score >= ${set.keyAccountThreshold ?? 100} THEN 1 ELSE 0 END`;
  const restrictions: Prisma.Sql[] = [];
  if (options.accountIds) restrictions.push(inJsonList(kind, Prisma.sql`aid`, options.accountIds));
  if (options.onlyRuleChanges) restrictions.push(Prisma.sql`would_be_key <> is_key`);
  const where = restrictions.length ? Prisma.sql`WHERE ${Prisma.join(restrictions, " AND ")}` : Prisma.empty;
  const order = orderSql(options.orderBy);
  const limit =
    options.limit != null
      ? Prisma.raw(`LIMIT ${Math.trunc(options.limit)} OFFSET ${Math.trunc(options.offset ?? 0)}`)
      : Prisma.empty;
  const pageAccounts = Prisma.sql`SELECT aid FROM page`;
  const minCompleteness = set.minCompleteness - 1e-9;

  const statement = Prisma.sql`
    WITH w AS (
      SELECT "criterionId" AS cid, "weight" AS weight FROM "CriterionWeight" WHERE "criteriaSetId" = ${set.id}
    ),
    s AS (${scoresSql(kind, asOf)}),
    agg AS (
      SELECT a."id" AS aid, SUM(sc.weight * sc.value) AS ws, SUM(sc.weight) AS sw,
        MAX(CASE WHEN sc.cid = ${options.orderBy?.criterionId ?? ""} THEN sc.value END) AS order_value
      FROM "Account" a
      LEFT JOIN (SELECT s.aid, s.cid, s.value, w.weight FROM s JOIN w ON w.cid = s.cid) sc ON sc.aid = a."id"
      WHERE a."archivedAt" IS NULL
      GROUP BY a."id"
    ),
    scored AS (
      SELECT agg.aid, agg.order_value, ${scoreExpression(kind, "agg.ws", "agg.sw")} AS score,
        COALESCE(agg.sw, 0) / (SELECT SUM(weight) FROM w) AS completeness,
        a."name" AS name, a."sortName" AS sort_name, CAST(a."status" AS TEXT) AS status,
        CASE WHEN a."isKeyAccount" THEN 1 ELSE 0 END AS is_key
      FROM agg JOIN "Account" a ON a."id" = agg.aid
    ),
    ranked AS (
      SELECT scored.*,
        CASE WHEN score IS NOT NULL AND completeness >= ${minCompleteness} AND status <> 'LOST' THEN 1 ELSE 0 END AS eligible,
        CASE WHEN score IS NULL THEN NULL ELSE RANK() OVER (ORDER BY score DESC NULLS LAST) END AS rank,
        CASE WHEN score IS NULL THEN NULL ELSE PERCENT_RANK() OVER (PARTITION BY score IS NULL ORDER BY score ASC) END AS percent_rank,
        SUM(CASE WHEN score IS NULL THEN 0 ELSE 1 END) OVER () AS ranked_count
      FROM scored
    ),
    selection AS (
      SELECT ranked.*, CASE WHEN eligible = 1 THEN RANK() OVER (PARTITION BY eligible ORDER BY score DESC) END AS key_rank
      FROM ranked
    ),
    judged AS (SELECT selection.*, ${rule} AS would_be_key FROM selection),
    page AS (
      SELECT judged.*, COUNT(*) OVER () AS total_count, ROW_NUMBER() OVER (ORDER BY ${order}) AS pos
      FROM judged ${where}
      ORDER BY ${order} ${limit}
    ),
    threshold AS (
      SELECT CASE WHEN COUNT(*) >= ${set.keyAccountCount ?? 0}
        THEN MIN(CASE WHEN key_rank <= ${set.keyAccountCount ?? 0} THEN score END) END AS key_threshold
      FROM selection WHERE eligible = 1
    )
    ${
      options.withTrend
        ? Prisma.sql`, past AS (
      SELECT ps.aid, ${scoreExpression(kind, "SUM(w.weight * ps.value)", "SUM(w.weight)")} AS previous_score
      FROM (${scoresSql(kind, new Date((asOf ?? new Date()).getTime() - trendDays * 86_400_000), pageAccounts)}) ps
      JOIN w ON w.cid = ps.cid GROUP BY ps.aid
    )`
        : Prisma.empty
    }
    SELECT page.aid, page.name, page.status, page.is_key, page.score, page.completeness, page.rank,
      page.percent_rank, page.ranked_count, page.eligible, page.would_be_key, page.total_count,
      (SELECT key_threshold FROM threshold) AS key_threshold,
      ${options.withTrend ? Prisma.sql`past.previous_score` : Prisma.sql`NULL`} AS previous_score,
      ${
        options.withCells
          ? Prisma.sql`cell.cid, cell.value, cell.evidence, cell.evidence_url, cell.author_label, cell.scored_at`
          : Prisma.sql`NULL AS cid`
      }
    FROM page
    ${
      options.withCells
        ? Prisma.sql`LEFT JOIN (SELECT s.* FROM s JOIN w ON w.cid = s.cid WHERE s.aid IN (${pageAccounts})) cell ON cell.aid = page.aid`
        : Prisma.empty
    }
    ${options.withTrend ? Prisma.sql`LEFT JOIN past ON past.aid = page.aid` : Prisma.empty}
    ORDER BY page.pos`;

  const raw = await db.prisma.$queryRaw<Record<string, unknown>[]>(statement);
  const rows: RankedAccount[] = [];
  let current: RankedAccount | undefined;
  for (const row of raw) {
    const accountId = String(row.aid);
    if (current?.accountId !== accountId) {
      const score = number(row.score);
      const rankedCount = number(row.ranked_count) ?? 0;
      const previousScore = number(row.previous_score);
      current = {
        accountId,
        name: String(row.name),
        status: String(row.status),
        isKeyAccount: Number(row.is_key) === 1,
        score,
        completeness: Math.round((number(row.completeness) ?? 0) * 10_000) / 10_000,
        rank: number(row.rank),
        percentile:
          score === null
            ? null
            : rankedCount <= 1
              ? 100
              : Math.round((number(row.percent_rank) ?? 0) * 10_000) / 100,
        eligible: Number(row.eligible) === 1,
        wouldBeKey: Number(row.would_be_key) === 1,
        previousScore,
        trend:
          score !== null && previousScore !== null ? Math.round((score - previousScore) * 100) / 100 : null,
        cells: [],
      };
      rows.push(current);
    }
    if (row.cid !== null && row.cid !== undefined && row.value !== null && row.value !== undefined) {
      current.cells.push({
        criterionId: String(row.cid),
        value: Number(row.value),
        evidence: (row.evidence as string | null) ?? null,
        evidenceUrl: (row.evidence_url as string | null) ?? null,
        authorLabel: String(row.author_label),
        scoredAt: date(row.scored_at),
      });
    }
  }
  const first = raw[0];
  return {
    rows,
    totalCount: first ? Number(first.total_count) : 0,
    keyThreshold:
      set.keyAccountRule === "THRESHOLD"
        ? set.keyAccountThreshold
        : first
          ? number(first.key_threshold)
          : null,
    asOf: asOf ?? new Date(),
  };
}
