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
import type { Dialect } from "../db/dialect.ts";
import { sinceLastWrite } from "../db/since-last-write.ts";
import type { SystemContext } from "./context.ts";
import { type CriteriaSetWithCriteria, resolveCriteriaSet } from "./criteria-sets.ts";

export const trendDays = 90;

export type RankingOrderField = "SCORE" | "NAME" | "COMPLETENESS" | "CRITERION";

export interface RankingOptions {
  /** Scores as they stood at that instant; current scores when left out. */
  asOf?: Date | null;
  /** "Now" (the context's clock when ranked by rankAccounts): the trend of current scores looks back from it. */
  now?: Date;
  /** Only these accounts (ranks stay those among all accounts). */
  accountIds?: readonly string[] | null;
  /** Only the accounts whose key-account flag differs from what the rule says. */
  onlyRuleChanges?: boolean;
  orderBy?: { field: RankingOrderField; direction: "ASC" | "DESC"; criterionKey?: string | null };
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

/** Membership in the page's accounts; PostgreSQL reads an array through the index, not a semi-join. */
function inPage(dialect: Dialect, column: Prisma.Sql): Prisma.Sql {
  return dialect.inSubquery(column, Prisma.sql`SELECT aid FROM page`);
}

/** Scores as rows (aid, cid, value, evidence, evidence_url, author_label, scored_at). */
function scoresSql(dialect: Dialect, asOf: Date | null, pageOnly = false): Prisma.Sql {
  const onlyAccounts = pageOnly ? inPage(dialect, Prisma.sql`"accountId"`) : null;
  if (!asOf) {
    return Prisma.sql`SELECT "accountId" AS aid, "criterionId" AS cid, "value" AS value, "evidence" AS evidence,
      "evidenceUrl" AS evidence_url, "authorLabel" AS author_label, "scoredAt" AS scored_at FROM "Score"
      ${onlyAccounts ? Prisma.sql`WHERE ${onlyAccounts}` : Prisma.empty}`;
  }
  return Prisma.sql`SELECT aid, cid, value, evidence, evidence_url, author_label, scored_at FROM (
      SELECT "accountId" AS aid, "criterionId" AS cid, "value" AS value, "evidence" AS evidence,
        "evidenceUrl" AS evidence_url, "authorLabel" AS author_label, "changedAt" AS scored_at,
        ROW_NUMBER() OVER (PARTITION BY "accountId", "criterionId" ORDER BY "changedAt" DESC, "id" DESC) AS rn
      FROM "ScoreChange" WHERE "changedAt" <= ${dialect.timestamp(asOf)}
      ${onlyAccounts ? Prisma.sql`AND ${onlyAccounts}` : Prisma.empty}
    ) history WHERE rn = 1 AND value IS NOT NULL`;
}

/** The 0-100 score from Σ(weight × score) and Σ(weight), as the database computes it. */
function scoreExpression(dialect: Dialect, weighted: string, weights: string): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${Prisma.raw(weights)} > 0 THEN CAST(ROUND(CAST(((${Prisma.raw(weighted)} / ${Prisma.raw(weights)}) - 1) * 100.0 / 9 AS NUMERIC), 2) AS ${dialect.real}) END`;
}

/** The same rounding in JavaScript, for the explanation's what-ifs. */
export function weightedScore(weighted: number, weights: number): number | null {
  if (weights <= 0) return null;
  return Math.round(((weighted / weights - 1) * 100 * 100) / 9) / 100;
}

function orderSql(order: RankingOptions["orderBy"], table = ""): Prisma.Sql {
  const column = (name: string) => Prisma.raw(`${table}${name}`);
  const dir = Prisma.raw(order?.direction === "ASC" ? "ASC" : "DESC");
  const byName = Prisma.sql`${column("sort_name")} ASC, ${column("aid")} ASC`;
  switch (order?.field ?? "SCORE") {
    case "NAME":
      return Prisma.sql`${column("sort_name")} ${Prisma.raw(order?.direction === "DESC" ? "DESC" : "ASC")}, ${column("aid")} ASC`;
    case "COMPLETENESS":
      return Prisma.sql`${column("completeness")} ${dir}, ${column("score")} DESC NULLS LAST, ${byName}`;
    case "CRITERION":
      return Prisma.sql`${column("order_value")} ${dir} NULLS LAST, ${column("score")} DESC NULLS LAST, ${byName}`;
    default:
      return Prisma.sql`${column("score")} ${dir} NULLS LAST, ${byName}`;
  }
}

/** A page account's scores as one JSON array of [criterion, value, evidence, link, author, time]. */
function jsonCells(dialect: Dialect): Prisma.Sql {
  const columns = ["cid", "value", "evidence", "evidence_url", "author_label", "scored_at"];
  return dialect.jsonArrayOfArrays(columns.map((column) => Prisma.raw(`s.${column}`)));
}

type CellTuple = [string, number, string | null, string | null, string, string];

function parseCells(value: unknown): ScoreCell[] {
  if (value === null || value === undefined) return [];
  const tuples = (typeof value === "string" ? JSON.parse(value) : value) as CellTuple[];
  return tuples.map(([criterionId, score, evidence, evidenceUrl, authorLabel, scoredAt]) => ({
    criterionId,
    value: Number(score),
    evidence,
    evidenceUrl,
    authorLabel,
    scoredAt: storedDate(scoredAt),
  }));
}

/** A stored instant as JSON gives it: with an offset (SQLite), or without one, in UTC (PostgreSQL). */
function storedDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  return new Date(/(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`);
}

const number = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** The ranking statement: every account ranked, and the requested page of it. */
export function rankingStatement(
  dialect: Dialect,
  setId: string | null,
  options: RankingOptions = {},
): Prisma.Sql {
  const asOf = options.asOf ?? null;
  const restrictions: Prisma.Sql[] = [];
  if (options.accountIds) {
    const ids = dialect.jsonRows(
      ["text"],
      options.accountIds.map((id) => [id]),
    );
    restrictions.push(Prisma.sql`aid IN (${ids})`);
  }
  if (options.onlyRuleChanges) restrictions.push(Prisma.sql`would_be_key <> is_key`);
  const where = restrictions.length ? Prisma.sql`WHERE ${Prisma.join(restrictions, " AND ")}` : Prisma.empty;
  const order = orderSql(options.orderBy);
  const limit =
    options.limit != null
      ? Prisma.raw(`LIMIT ${Math.trunc(options.limit)} OFFSET ${Math.trunc(options.offset ?? 0)}`)
      : Prisma.empty;

  return Prisma.sql`
    WITH cfg AS (
      SELECT "id" AS id, CAST("keyAccountRule" AS TEXT) AS rule, "keyAccountCount" AS key_count,
        "keyAccountThreshold" AS key_threshold, "minCompleteness" - 1e-9 AS min_completeness
      FROM "CriteriaSet" WHERE ${setId ? Prisma.sql`"id" = ${setId}` : Prisma.sql`"isActive" = ${true}`}
    ),
    w AS (
      SELECT "criterionId" AS cid, "weight" AS weight FROM "CriterionWeight"
      WHERE "criteriaSetId" = (SELECT id FROM cfg)
    ),
    s AS NOT MATERIALIZED (${scoresSql(dialect, asOf)}),
    agg AS (
      SELECT s.aid, SUM(w.weight * s.value) AS ws, SUM(w.weight) AS sw,
        MAX(CASE WHEN s.cid = (SELECT "id" FROM "ScoringCriterion" WHERE "key" = ${options.orderBy?.criterionKey ?? ""})
          THEN s.value END) AS order_value
      FROM s CROSS JOIN w WHERE w.cid = s.cid
      GROUP BY s.aid
    ),
    scored AS (
      SELECT a."id" AS aid, a."sortName" AS sort_name, CAST(a."status" AS TEXT) AS status,
        CASE WHEN a."isKeyAccount" THEN 1 ELSE 0 END AS is_key, agg.order_value,
        ${scoreExpression(dialect, "agg.ws", "agg.sw")} AS score,
        COALESCE(agg.sw, 0) / (SELECT SUM(weight) FROM w) AS completeness
      FROM "Account" a LEFT JOIN agg ON agg.aid = a."id"
      WHERE a."archivedAt" IS NULL
    ),
    ranked AS (
      SELECT aid, sort_name, is_key, order_value, score, completeness, eligible,
        RANK() OVER by_score AS score_rank,
        COUNT(score) OVER by_score AS scored_at_or_above,
        SUM(eligible) OVER by_score AS eligible_at_or_above
      FROM (
        SELECT scored.*,
          CASE WHEN score IS NOT NULL AND completeness >= (SELECT min_completeness FROM cfg) AND status <> 'LOST' THEN 1 ELSE 0 END AS eligible
        FROM scored
      ) eligibility
      WINDOW by_score AS (ORDER BY score DESC NULLS LAST)
    ),
    threshold AS (
      -- TOP_N: the N-th eligible account's score, that of the first group of equal scores where the
      -- eligible accounts at or above it reach N; THRESHOLD: the set's threshold.
      SELECT CASE WHEN (SELECT rule FROM cfg) = 'TOP_N'
        THEN MAX(CASE WHEN eligible = 1 AND eligible_at_or_above >= (SELECT key_count FROM cfg) THEN score END)
        ELSE MAX((SELECT key_threshold FROM cfg)) END AS key_threshold,
        COUNT(score) AS ranked_count, COUNT(*) AS account_count
      FROM ranked
    ),
    verdict AS (
      SELECT ranked.*, (SELECT key_threshold FROM threshold) AS key_threshold,
        (SELECT ranked_count FROM threshold) AS ranked_count,
        CASE WHEN score IS NULL THEN NULL ELSE score_rank END AS rank,
        CASE WHEN eligible = 1 AND (score >= (SELECT key_threshold FROM threshold)
          OR (SELECT key_threshold FROM threshold) IS NULL) THEN 1 ELSE 0 END AS would_be_key
      FROM ranked
    ),
    page AS (
      SELECT verdict.*, ${restrictions.length ? Prisma.sql`COUNT(*) OVER ()` : Prisma.sql`(SELECT account_count FROM threshold)`} AS total_count
      FROM verdict ${where}
      ORDER BY ${order} ${limit}
    )
    ${
      options.withTrend
        ? Prisma.sql`, past AS (
      SELECT ps.aid, ${scoreExpression(dialect, "SUM(w.weight * ps.value)", "SUM(w.weight)")} AS previous_score
      FROM (${scoresSql(dialect, new Date((asOf ?? options.now ?? new Date()).getTime() - trendDays * 86_400_000), true)}) ps
      JOIN w ON w.cid = ps.cid GROUP BY ps.aid
    )`
        : Prisma.empty
    }
    SELECT page.aid, (SELECT "name" FROM "Account" WHERE "id" = page.aid) AS name,
      (SELECT CAST("status" AS TEXT) FROM "Account" WHERE "id" = page.aid) AS status, page.is_key, page.score,
      page.completeness, page.rank, page.ranked_count - page.scored_at_or_above AS scored_below, page.ranked_count,
      page.eligible, page.would_be_key, page.total_count, page.key_threshold,
      ${options.withTrend ? Prisma.sql`past.previous_score` : Prisma.sql`NULL`} AS previous_score,
      ${options.withCells ? Prisma.sql`cell.cells` : Prisma.sql`NULL`} AS cells
    FROM page
    ${
      options.withCells
        ? Prisma.sql`LEFT JOIN (
      SELECT s.aid, ${jsonCells(dialect)} AS cells
      FROM (${scoresSql(dialect, asOf, true)}) s JOIN w ON w.cid = s.cid GROUP BY s.aid
    ) cell ON cell.aid = page.aid`
        : Prisma.empty
    }
    ${options.withTrend ? Prisma.sql`LEFT JOIN past ON past.aid = page.aid` : Prisma.empty}
    ORDER BY ${orderSql(options.orderBy, "page.")}`;
}

/** The tables rankings are read from. */
export const rankingTables = [
  "Account",
  "CriteriaSet",
  "CriterionWeight",
  "ScoringCriterion",
  "Score",
  "ScoreChange",
];

/**
 * One statement, one round trip: the ranking of every account, and the requested page of it.
 * The same until the data changes; the trend of current scores also until a score change
 * reaches the look-back day.
 */
export async function rankAccounts(
  { db, clock }: SystemContext,
  setId: string | null,
  options: RankingOptions = {},
): Promise<Ranking> {
  const now = options.now ?? clock.now();
  const { now: _, ...rest } = options;
  const looksBack = Boolean(options.withTrend && !options.asOf);
  const ranking = await sinceLastWrite(
    db,
    `ranking:${JSON.stringify({ setId, ...rest })}`,
    now,
    { tables: rankingTables, until: looksBack ? () => trendChangesAt(db, now) : undefined },
    () => readRanking(db, setId, { ...options, now }),
  );
  return { ...ranking, asOf: options.asOf ?? now };
}

/**
 * When the trend of current scores, looking back from `now`, next changes: the first score
 * change after the look-back instant, as many days later (null when none is recorded).
 */
async function trendChangesAt(db: SystemContext["db"], now: Date): Promise<Date | null> {
  const lookBack = new Date(now.getTime() - trendDays * 86_400_000);
  const [row] = await db.read<{ next: string | Date | null }>(
    Prisma.sql`SELECT MIN("changedAt") AS next FROM "ScoreChange" WHERE "changedAt" > ${db.dialect.timestamp(lookBack)}`,
  );
  if (!row?.next) return null;
  return new Date(storedDate(row.next).getTime() + trendDays * 86_400_000);
}

async function readRanking(
  db: SystemContext["db"],
  setId: string | null,
  options: RankingOptions & { now: Date },
): Promise<Ranking> {
  const raw = await db.read(rankingStatement(db.dialect, setId, options));
  const rows = raw.map((row): RankedAccount => {
    const score = number(row.score);
    const rankedCount = number(row.ranked_count) ?? 0;
    const previousScore = number(row.previous_score);
    return {
      accountId: String(row.aid),
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
            : Math.round(((number(row.scored_below) ?? 0) / (rankedCount - 1)) * 10_000) / 100,
      eligible: Number(row.eligible) === 1,
      wouldBeKey: Number(row.would_be_key) === 1,
      previousScore,
      trend:
        score !== null && previousScore !== null ? Math.round((score - previousScore) * 100) / 100 : null,
      cells: parseCells(row.cells),
    };
  });
  const first = raw[0];
  return {
    rows,
    totalCount: first ? Number(first.total_count) : 0,
    keyThreshold: first ? number(first.key_threshold) : null,
    asOf: options.asOf ?? options.now,
  };
}

/** An account's place in a set's ranking, with the set and the threshold its rule gives. */
export interface AccountScore {
  set: CriteriaSetWithCriteria;
  ranked: RankedAccount;
  keyThreshold: number | null;
}

/**
 * The scores of the accounts a page shows, in one ranking: two statements (the set and the
 * ranking) however many accounts. An account the ranking leaves out (archived) has none.
 */
export async function scoresOfAccounts(
  context: SystemContext,
  setId: string | null,
  accountIds: readonly string[],
  asOf?: Date | null,
): Promise<(AccountScore | null)[]> {
  const [set, ranking] = await Promise.all([
    resolveCriteriaSet(context.db, setId),
    rankAccounts(context, setId, { accountIds, asOf, withCells: true, withTrend: true }),
  ]);
  const byId = new Map(ranking.rows.map((ranked) => [ranked.accountId, ranked]));
  return accountIds.map((id) => {
    const ranked = byId.get(id);
    return ranked ? { set, ranked, keyThreshold: ranking.keyThreshold } : null;
  });
}
