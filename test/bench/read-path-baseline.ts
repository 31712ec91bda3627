/**
 * The read-path benchmark's baseline: the same answers as the API for the benchmark's operations,
 * from hand-written SQL on the same driver (better-sqlite3 for SQLite, pg for PostgreSQL) over
 * plain `node:http`. It checks the bearer token as the API does (the same JWT check and one
 * statement for the person), then runs one prepared statement per level of the answer; the
 * dossier card's figures (segment, client types, score, growth, risk) come from a few statements
 * that compute them in the database by the services' rules, restated here, with the services'
 * roundings and texts. Showing personal facts logs the read, as the API does.
 *
 * Run by test/bench/read-path.bench.ts as a child process:
 *   node --import tsx test/bench/read-path-baseline.ts <database-url> <port> <token-secret>
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Database from "better-sqlite3";
import pg from "pg";
import { verifyUserToken } from "../../api/auth/user-tokens.ts";
import { sqliteFilePath } from "../../api/db/index.ts";
import { decodeGlobalId, encodeGlobalId } from "../../api/global-id.ts";
import { money, percent, roundTo, share } from "../../api/precision.ts";

const [databaseUrl, portText, secretText] = process.argv.slice(2) as [string, string, string];
const secret = new TextEncoder().encode(secretText);
const postgres = databaseUrl.startsWith("postgres");

type Row = Record<string, unknown>;
type Query = (sql: string, parameters: unknown[]) => Promise<Row[]>;

/**
 * One prepared statement per SQL text; the page's IDs are bound as one JSON array or one array.
 * Read-write: the dossier logs its personal-data reads.
 */
function queries(): Query {
  if (postgres) {
    // TIMESTAMP(3) columns hold UTC, as Prisma writes them; pg would read them as local time.
    const types = new pg.TypeOverrides();
    types.setTypeParser(
      pg.types.builtins.TIMESTAMP,
      (text: string) => new Date(`${text.replace(" ", "T")}Z`),
    );
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 8, types });
    // Prepared once per connection under a short name (PostgreSQL keeps 63 characters of it).
    const names = new Map<string, string>();
    return async (sql, parameters) => {
      let name = names.get(sql);
      if (!name) {
        name = `baseline_${names.size}`;
        names.set(sql, name);
      }
      return (await pool.query({ name, text: sql, values: parameters })).rows;
    };
  }
  const db = new Database(sqliteFilePath(databaseUrl));
  const prepared = new Map<string, Database.Statement>();
  return async (sql, parameters) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      prepared.set(sql, statement);
    }
    if (statement.reader) return statement.all(...parameters) as Row[];
    statement.run(...parameters);
    return [];
  };
}

const query = queries();
const param = (index: number) => (postgres ? `$${index}` : "?");
/** Membership in the bound list of IDs. */
const inIds = (column: string) =>
  postgres ? `${column} = ANY(${param(1)})` : `${column} IN (SELECT value FROM json_each(?))`;
const ids = (list: string[]) => (postgres ? list : JSON.stringify(list));

const userSql = `SELECT "id", "name", "email", "role", "deactivatedAt" FROM "User" WHERE "id" = ${param(1)}`;
const pageSql = `SELECT a."id", a."name", u."name" AS "ownerName"
  FROM "Account" a LEFT JOIN "User" u ON u."id" = a."ownerId"
  WHERE a."archivedAt" IS NULL ORDER BY a."sortName" ASC, a."id" ASC LIMIT 50`;
const contactsSql = `SELECT "id", "accountId", "name", "title", "decisionRole", "attitude", "influence"
  FROM "Contact" WHERE ${inIds(`"accountId"`)} ORDER BY "influence" DESC, "name" ASC, "id" ASC`;
const competitorsSql = `SELECT "accountId", "name", "threatLevel" FROM "Competitor" WHERE ${inIds(`"accountId"`)}
  ORDER BY CASE "threatLevel" WHEN 'HIGH' THEN 0 WHEN 'MEDIUM' THEN 1 ELSE 2 END, "name" ASC, "id" ASC`;

/** The person a bearer token names, as the API checks it; null when refused. */
async function viewerOf(request: IncomingMessage): Promise<Row | null> {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  if (!token) return null;
  try {
    const [user] = await query(userSql, [await verifyUserToken(secret, token)]);
    return user && !user.deactivatedAt ? user : null;
  } catch {
    return null;
  }
}

function groupBy(rows: Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = row.accountId as string;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

async function accountsPage() {
  const page = await query(pageSql, []);
  const pageIds = ids(page.map((row) => row.id as string));
  const [contacts, competitors] = await Promise.all([
    query(contactsSql, [pageIds]).then(groupBy),
    query(competitorsSql, [pageIds]).then(groupBy),
  ]);
  return {
    accounts: {
      edges: page.map((account) => ({
        node: {
          id: encodeGlobalId("Account", account.id as string),
          name: account.name,
          owner: account.ownerName === null ? null : { name: account.ownerName },
          contacts: (contacts.get(account.id as string) ?? []).map((contact) => ({
            id: encodeGlobalId("Contact", contact.id as string),
            name: contact.name,
            title: contact.title,
            decisionRole: contact.decisionRole,
            attitude: contact.attitude,
            influence: Number(contact.influence),
          })),
          competitors: (competitors.get(account.id as string) ?? []).map((competitor) => ({
            name: competitor.name,
            threatLevel: competitor.threatLevel,
          })),
        },
      })),
    },
  };
}

// --- KamDossierCard: one account's dossier -----------------------------------------------------

const dayMs = 86_400_000;
const real = postgres ? "DOUBLE PRECISION" : "REAL";
/** An instant as Prisma stores it on SQLite: text with an offset (+00:00), which PostgreSQL's cast drops. */
const storedInstant = (date: Date) => date.toISOString().replace("Z", "+00:00");
/** A bound instant that compares with the stored DateTime columns. */
const instantParam = (index: number) => (postgres ? `CAST(${param(index)} AS TIMESTAMP(3))` : param(index));
/** A DateTime as the API serialises it: ISO 8601 in UTC. */
const isoInstant = (value: unknown) =>
  value === null ? null : new Date(value as string | Date).toISOString();
/** A boolean as the driver gives it: true/false on PostgreSQL, 1/0 on SQLite. */
const flag = (value: unknown) => value === true || value === 1;
/** Days since the epoch of an instant's UTC day. */
const dayNumber = (date: Date) => Math.floor(date.getTime() / dayMs);

/** The month (YYYY-MM) `count` months after `month` (before it when negative). */
function addMonths(month: string, count: number): string {
  const [year, number] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, number - 1 + count, 1)).toISOString().slice(0, 7);
}

/** `now`'s day `months` calendar months before, the 31st becoming the month's last day (churn's rule). */
function monthsBefore(now: Date, months: number): Date {
  const month = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(now.getUTCFullYear(), month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(now.getUTCFullYear(), month, Math.min(now.getUTCDate(), lastDay)));
}

/**
 * The settings the dossier depends on, with their defaults and the rule a stored value must pass
 * (api/services/settings.ts): a value that breaks its rule counts as absent.
 */
const settingDefaults = {
  segmentMeasure: "REVENUE" as "REVENUE" | "MARGIN",
  segmentWindowMonths: 12,
  abcCutoffA: 0.8,
  abcCutoffB: 0.95,
  xyzCutoffX: 0.1,
  xyzCutoffY: 0.25,
  xyzMinimumMonths: 6,
  atRiskSilenceFloorDays: 90,
  atRiskGapMultiplier: 3,
  atRiskRevenueDropPercent: 30,
  lostAfterMonths: 12,
};
type Settings = typeof settingDefaults;
const between =
  (min: number, max: number, whole = false) =>
  (value: unknown) =>
    typeof value === "number" && value >= min && value <= max && (!whole || Number.isInteger(value));
const openShare = (value: unknown) => typeof value === "number" && value > 0 && value < 1;
const settingRules: Record<keyof Settings, (value: unknown) => boolean> = {
  segmentMeasure: (value) => value === "REVENUE" || value === "MARGIN",
  segmentWindowMonths: between(3, 36, true),
  abcCutoffA: openShare,
  abcCutoffB: openShare,
  xyzCutoffX: between(0.01, 5),
  xyzCutoffY: between(0.01, 5),
  xyzMinimumMonths: between(2, 36, true),
  atRiskSilenceFloorDays: between(7, 730, true),
  atRiskGapMultiplier: between(1, 20),
  atRiskRevenueDropPercent: (value) => typeof value === "number" && value > 0 && value <= 100,
  lostAfterMonths: between(1, 60, true),
};
const settingsSql = `SELECT "key", "value" FROM "Setting"`;

async function readSettings(): Promise<Settings> {
  const settings: Record<string, unknown> = { ...settingDefaults };
  for (const row of await query(settingsSql, [])) {
    const key = row.key as keyof Settings;
    // PostgreSQL's jsonb arrives parsed; SQLite keeps the JSON as text.
    const value = postgres ? row.value : JSON.parse(row.value as string);
    if (key in settingRules && settingRules[key](value)) settings[key] = value;
  }
  return settings as Settings;
}

/** An invoice date's UTC day, as days since the epoch. */
const invoiceDay = postgres
  ? `(CAST(l."invoiceDate" AS DATE) - DATE '1970-01-01')`
  : `(unixepoch(l."invoiceDate") / 86400)`;

/**
 * The account, and what the dossier reads from its own sales (the bounds are bound once each, in
 * `p`): its columns; whether the caller owns it or is on its team (personal facts); whether it
 * ever had a sale (client type PROSPECT); its revenue over the last 12 complete months and the 12
 * before (growth), over the last 3 and the same 3 a year before (risk's revenue drop); and its
 * distinct purchase days (UTC): how many, the last, and the median gap between consecutive ones
 * (risk's silence), the middle gap or the mean of the two middle ones.
 */
const dossierAccountSql = `WITH p AS (
  SELECT CAST(${param(1)} AS TEXT) AS id, CAST(${param(2)} AS TEXT) AS viewer,
    CAST(${param(3)} AS TEXT) AS previous_from, CAST(${param(4)} AS TEXT) AS year_before_from,
    CAST(${param(5)} AS TEXT) AS previous_to, CAST(${param(6)} AS TEXT) AS last_from,
    CAST(${param(7)} AS TEXT) AS recent_from, CAST(${param(8)} AS TEXT) AS last_to
),
sales AS (
  SELECT SUM(CASE WHEN m."month" >= p.last_from THEN m."revenue" END) AS last12,
    SUM(CASE WHEN m."month" <= p.previous_to THEN m."revenue" END) AS previous12,
    SUM(CASE WHEN m."month" >= p.recent_from THEN m."revenue" END) AS recent3,
    SUM(CASE WHEN m."month" BETWEEN p.year_before_from AND p.previous_to THEN m."revenue" END) AS year_before3
  FROM p JOIN "AccountMonthlySales" m
    ON m."accountId" = p.id AND m."month" BETWEEN p.previous_from AND p.last_to
),
days AS (SELECT DISTINCT ${invoiceDay} AS purchase_day FROM p JOIN "SalesLine" l ON l."accountId" = p.id),
gaps AS (SELECT purchase_day - LAG(purchase_day) OVER (ORDER BY purchase_day) AS gap FROM days),
ordered AS (
  SELECT gap, ROW_NUMBER() OVER (ORDER BY gap) AS n, COUNT(*) OVER () AS gap_count
  FROM gaps WHERE gap IS NOT NULL
),
purchases AS (
  SELECT COUNT(*) AS purchase_days, MAX(purchase_day) AS last_day,
    (SELECT AVG(gap) FROM ordered WHERE n IN ((gap_count + 1) / 2, (gap_count + 2) / 2)) AS median_gap
  FROM days
)
SELECT a."id", a."name", a."externalId", a."status", a."isKeyAccount", a."archivedAt", a."createdAt",
  a."hasBudget", a."isImageMaker", a."isExpert",
  a."ownerId" = p.viewer OR EXISTS (
    SELECT 1 FROM "AccountTeamMember" t WHERE t."accountId" = a."id" AND t."userId" = p.viewer) AS on_team,
  EXISTS (
    SELECT 1 FROM "AccountMonthlySales" s WHERE s."accountId" = a."id" AND s."lineCount" > 0) AS has_sales,
  sales.*, purchases.*
FROM p JOIN "Account" a ON a."id" = p.id CROSS JOIN sales CROSS JOIN purchases`;

/**
 * The account's ABC-XYZ numbers and its share of gross margin. Ranks and shares depend on every
 * active account, so it computes them all and keeps the one account at the end. The rules of
 * api/services/segments.ts: over the window, each account's value (net), sum of squares, months
 * with sales and the first of them; its history in the window starts with that first month unless
 * it sold before the window or not at all in it (the months XYZ divides by); accounts ranked by
 * value, equal values sharing a rank; A while the share of the accounts ranked strictly above is
 * below the A cut-off, B below the B cut-off, then C, and C for a value of 0 or less. And the rule
 * of api/services/client-types.ts: the account's margin over the same window against the total
 * of every active account's positive margin (BREADWINNER). `measure` is the column ABC ranks by
 * (the segmentMeasure setting): one statement for each.
 */
function portfolioSql(measure: string) {
  return `WITH p AS (
  SELECT CAST(${param(1)} AS TEXT) AS id, CAST(${param(2)} AS TEXT) AS from_month,
    CAST(${param(3)} AS TEXT) AS to_month, CAST(${param(4)} AS INTEGER) AS window_months,
    CAST(${param(5)} AS INTEGER) AS after_window, CAST(${param(6)} AS ${real}) AS cutoff_a,
    CAST(${param(7)} AS ${real}) AS cutoff_b
),
history AS (
  SELECT a."id", COALESCE(SUM(${measure}), 0) AS value, SUM(${measure} * ${measure}) AS squares,
    CASE WHEN MIN(${measure}) = MAX(${measure}) THEN 1 ELSE 0 END AS level,
    COUNT(m."month") AS present, MIN(m."month") AS first_month, COALESCE(SUM(m."margin"), 0) AS margin
  FROM p CROSS JOIN "Account" a
  LEFT JOIN "AccountMonthlySales" m
    ON m."accountId" = a."id" AND m."month" >= p.from_month AND m."month" <= p.to_month
  WHERE a."archivedAt" IS NULL
  GROUP BY a."id"
),
measured AS (
  SELECT history.*,
    CASE WHEN present = 0 OR EXISTS (
        SELECT 1 FROM "AccountMonthlySales" e WHERE e."accountId" = history."id" AND e."month" < p.from_month)
      THEN p.window_months
      ELSE p.after_window
        - (CAST(SUBSTR(first_month, 1, 4) AS INTEGER) * 12 + CAST(SUBSTR(first_month, 6, 2) AS INTEGER))
    END AS months,
    CASE WHEN value > 0 THEN value ELSE 0 END AS positive
  FROM history CROSS JOIN p
),
ranked AS (
  SELECT measured.*, RANK() OVER (ORDER BY value DESC) AS rank, SUM(positive) OVER () AS total,
    SUM(positive) OVER (ORDER BY value DESC GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS above,
    SUM(CASE WHEN margin > 0 THEN margin ELSE 0 END) OVER () AS total_margin
  FROM measured
)
SELECT value, squares, level, present, months, rank, total, margin, total_margin,
  CASE WHEN value <= 0 THEN 'C'
    WHEN COALESCE(above, 0) / total < p.cutoff_a THEN 'A'
    WHEN COALESCE(above, 0) / total < p.cutoff_b THEN 'B'
    ELSE 'C' END AS abc
FROM ranked CROSS JOIN p WHERE ranked."id" = p.id`;
}
const portfolioStatements = { REVENUE: portfolioSql(`m."revenue"`), MARGIN: portfolioSql(`m."margin"`) };

/** The 0-100 score from Σ(weight × score) and Σ(weight), rounded by the database as the ranking does. */
const weightedScore = (weighted: string, weights: string) =>
  `CASE WHEN ${weights} > 0 THEN CAST(ROUND(CAST(((${weighted} / ${weights}) - 1) * 100.0 / 9 AS NUMERIC), 2) AS ${real}) END`;

/**
 * The account's weighted score in the active criteria set (api/services/score-ranking.ts), over
 * the criteria it is scored on; its completeness (scored weight / total weight); its competition
 * rank among the active accounts by score, unscored ones last and unranked; how many scored
 * accounts score lower and how many are scored (the percentile); and the score as it stood 90
 * days before (the trend), from each criterion's latest change by then, a withdrawn one counting
 * as unscored.
 */
const dossierScoreSql = `WITH p AS (SELECT CAST(${param(1)} AS TEXT) AS id, ${instantParam(2)} AS trend_from),
w AS (
  SELECT "criterionId" AS cid, "weight" AS weight FROM "CriterionWeight"
  WHERE "criteriaSetId" = (SELECT "id" FROM "CriteriaSet" WHERE "isActive" = TRUE)
),
agg AS (
  SELECT s."accountId" AS aid, SUM(w.weight * s."value") AS ws, SUM(w.weight) AS sw
  FROM "Score" s CROSS JOIN w WHERE w.cid = s."criterionId"
  GROUP BY s."accountId"
),
scored AS (
  SELECT a."id" AS aid, ${weightedScore("agg.ws", "agg.sw")} AS score,
    COALESCE(agg.sw, 0) / (SELECT SUM(weight) FROM w) AS completeness
  FROM "Account" a LEFT JOIN agg ON agg.aid = a."id"
  WHERE a."archivedAt" IS NULL
),
ranked AS (
  SELECT aid, score, completeness, RANK() OVER by_score AS score_rank,
    COUNT(score) OVER by_score AS scored_at_or_above, COUNT(score) OVER () AS scored_count
  FROM scored
  WINDOW by_score AS (ORDER BY score DESC NULLS LAST)
),
past AS (
  SELECT ${weightedScore("SUM(w.weight * c.value)", "SUM(w.weight)")} AS previous_score
  FROM (
    SELECT h."criterionId" AS cid, h."value" AS value,
      ROW_NUMBER() OVER (PARTITION BY h."criterionId" ORDER BY h."changedAt" DESC, h."id" DESC) AS rn
    FROM "ScoreChange" h CROSS JOIN p WHERE h."accountId" = p.id AND h."changedAt" <= p.trend_from
  ) c JOIN w ON w.cid = c.cid
  WHERE c.rn = 1 AND c.value IS NOT NULL
)
SELECT score, completeness, CASE WHEN score IS NULL THEN NULL ELSE score_rank END AS rank,
  scored_count - scored_at_or_above AS scored_below, scored_count, previous_score
FROM ranked CROSS JOIN p CROSS JOIN past WHERE ranked.aid = p.id`;

/** The decision unit, most influential first (the API's order), with each one's manager and facts. */
const dossierContactsSql = `SELECT c."id", c."name", c."title", c."decisionRole", c."influence", c."attitude",
  c."characterType", c."reportsToId", r."name" AS "reportsToName", f."contactId" AS "factsOf",
  f."birthYear", f."birthMonth", f."birthDay", f."hobbies", f."family"
  FROM "Contact" c
  LEFT JOIN "Contact" r ON r."id" = c."reportsToId"
  LEFT JOIN "ContactPersonalFacts" f ON f."contactId" = c."id"
  WHERE c."accountId" = ${param(1)} ORDER BY c."influence" DESC, c."name" ASC, c."id" ASC`;
/** Competitors, the biggest threat first, then by name. */
const dossierCompetitorsSql = `SELECT "id", "name", "threatLevel" FROM "Competitor"
  WHERE "accountId" = ${param(1)}
  ORDER BY CASE "threatLevel" WHEN 'HIGH' THEN 0 WHEN 'MEDIUM' THEN 1 ELSE 2 END, "name" ASC, "id" ASC`;
/** The first page of the history, newest first (events(first: 5)). */
const dossierEventsSql = `SELECT "id", "kind", "occurredAt", "title" FROM "AccountEvent"
  WHERE "accountId" = ${param(1)}
  ORDER BY "occurredAt" DESC, "id" DESC LIMIT 5`;
/** One access-log row per contact whose personal facts are shown, in one statement (PersonalDataReadLog). */
const readLogSql = `INSERT INTO "PersonalDataAccess"
    ("id", "contactId", "actorKind", "actorId", "actorLabel", "purpose", "at")
  SELECT r.value ->> 0, r.value ->> 1, ${postgres ? `CAST('USER' AS "ActorKind")` : "'USER'"},
    ${param(1)}, ${param(2)}, 'read', ${instantParam(3)}
  FROM ${postgres ? `json_array_elements(CAST(${param(4)} AS JSON)) AS r(value)` : `json_each(${param(4)}) AS r`}`;

/** A new row ID in the shape of Prisma's cuid() default: "c", the time and 16 random characters. */
function newId(): string {
  const random = BigInt(`0x${randomBytes(11).toString("hex")}`)
    .toString(36)
    .padStart(16, "0")
    .slice(-16);
  return `c${Date.now().toString(36)}${random}`;
}

/** YYYY-MM-DD, or --MM-DD when the year is unknown (formatBirthday). */
function birthday(facts: Row): string | null {
  if (!facts.birthMonth || !facts.birthDay) return null;
  const monthDay = `${String(facts.birthMonth).padStart(2, "0")}-${String(facts.birthDay).padStart(2, "0")}`;
  return facts.birthYear ? `${facts.birthYear}-${monthDay}` : `--${monthDay}`;
}

/** The segment window: the `length` complete months ending with the month before `now`'s. */
function segmentWindow(now: Date, length: number) {
  const to = addMonths(now.toISOString().slice(0, 7), -1);
  return { from: addMonths(to, -(length - 1)), to, length };
}

/** ABC-XYZ from the portfolio row: mean, deviation and XYZ as measuredSegment and xyzClass make them. */
function segmentOf(row: Row, settings: Settings) {
  const value = Number(row.value);
  const total = Number(row.total);
  const present = Number(row.present);
  const months = Number(row.months);
  const noSalesInWindow = present === 0;
  let variation: number | null = null;
  if (!noSalesInWindow) {
    const mean = value / months;
    // Every month the same: exactly steady, whatever the rounding of the sums.
    const steady = present === months && Number(row.level) === 1;
    const variance = steady ? 0 : Number(row.squares) / months - mean * mean;
    variation = mean > 0 ? Math.sqrt(Math.max(variance, 0)) / mean : null;
  }
  const insufficientHistory = !noSalesInWindow && months < settings.xyzMinimumMonths;
  const xyz =
    noSalesInWindow || insufficientHistory || variation === null
      ? "Z"
      : variation <= settings.xyzCutoffX
        ? "X"
        : variation <= settings.xyzCutoffY
          ? "Y"
          : "Z";
  return {
    abc: row.abc,
    xyz,
    cell: `${row.abc}${xyz}`,
    rank: Number(row.rank),
    value: money(value),
    share: share(total > 0 && value > 0 ? value / total : 0),
    coefficientOfVariation: share(variation),
    activeMonths: noSalesInWindow ? 0 : months,
    noSalesInWindow,
    insufficientHistory,
  };
}

/** Breadwinner, prospect, image-maker, expert, with their reasons (classifyClientTypes). */
function clientTypesOf(account: Row, portfolio: Row, window: { from: string; to: string }) {
  const types: { type: string; reason: string }[] = [];
  const span = `${window.from} … ${window.to}`;
  const margin = Number(portfolio.margin);
  const totalMargin = Number(portfolio.total_margin);
  const marginShare = totalMargin > 0 && margin > 0 ? margin / totalMargin : 0;
  // 10% or more, a hair under from the rounding of the sums included.
  if (marginShare > 0 && marginShare >= 0.1 - 1e-9) {
    types.push({
      type: "BREADWINNER",
      reason: `brings ${(marginShare * 100).toFixed(1)}% of gross margin over ${span}`,
    });
  }
  const prospect: string[] = [];
  if (!flag(account.has_sales)) prospect.push("no sales yet");
  const createdAt = new Date(account.createdAt as string | Date);
  if (createdAt >= new Date(`${window.from}-01T00:00:00Z`) && flag(account.hasBudget)) {
    prospect.push(`new: created ${createdAt.toISOString().slice(0, 10)}, within ${span}, with a budget`);
  }
  if (prospect.length) types.push({ type: "PROSPECT", reason: prospect.join("; ") });
  if (flag(account.isImageMaker)) types.push({ type: "IMAGE_MAKER", reason: "set by people" });
  if (flag(account.isExpert)) types.push({ type: "EXPERT", reason: "set by people" });
  return types;
}

/** The last 12 complete months against the 12 before (computeGrowth), from the rounded sums. */
function growthOf(account: Row) {
  const current = money(Number(account.last12));
  const previous = money(Number(account.previous12));
  return {
    twelveMonths: {
      current: { revenue: current },
      revenueChangePercent:
        previous === 0 ? null : percent(((current - previous) / Math.abs(previous)) * 100),
    },
  };
}

/**
 * Lost, at risk or buying, with the reasons' texts (assessRisk): lost after `lostAfterMonths`
 * months without a purchase; at risk when the silence exceeds both the floor and k × the median
 * gap (the floor alone with fewer than two purchase days), or when revenue of the last 3 complete
 * months fell by more than the setting's percentage against the same months a year before.
 */
function riskOf(account: Row, settings: Settings, now: Date, recent: string[], yearBefore: string[]) {
  const round = (value: number) => roundTo(value, 1);
  const amount = (value: number) => money(value).toFixed(2);
  const recentRevenue = money(Number(account.recent3));
  const yearBeforeRevenue = money(Number(account.year_before3));
  const drop = yearBeforeRevenue > 0 ? ((yearBeforeRevenue - recentRevenue) / yearBeforeRevenue) * 100 : null;
  const revenueDropPercent = percent(drop);
  const purchaseDays = Number(account.purchase_days);
  if (purchaseDays === 0) {
    return {
      status: "NO_PURCHASES",
      silenceDays: null,
      medianGapDays: null,
      revenueDropPercent,
      reasons: [],
    };
  }
  const lastDay = Number(account.last_day);
  const silenceDays = Math.max(0, dayNumber(now) - lastDay);
  const medianGapDays = purchaseDays < 2 ? null : Number(account.median_gap);
  const known = { silenceDays, medianGapDays, revenueDropPercent };
  if (lastDay <= dayNumber(monthsBefore(now, settings.lostAfterMonths))) {
    const text = `no purchase for ${silenceDays} days; lost after ${settings.lostAfterMonths} months without purchase`;
    return { ...known, status: "LOST", reasons: [{ kind: "LONG_SILENCE", text }] };
  }
  const reasons: { kind: string; text: string }[] = [];
  const floor = settings.atRiskSilenceFloorDays;
  const k = settings.atRiskGapMultiplier;
  const rhythmLimit = medianGapDays === null ? null : k * medianGapDays;
  if (silenceDays > floor && (rhythmLimit === null || silenceDays > rhythmLimit)) {
    reasons.push({
      kind: "LONG_SILENCE",
      text:
        rhythmLimit === null
          ? `no purchase for ${silenceDays} days; more than ${floor} days (too few purchases for a usual rhythm)`
          : `no purchase for ${silenceDays} days; usually every ${round(medianGapDays as number)} days (median), ${k}x is ${round(rhythmLimit)}; more than ${floor} days`,
    });
  }
  // More than the percentage, with a margin for float noise: exactly 30% is not more than 30%.
  const threshold = settings.atRiskRevenueDropPercent;
  if (
    drop !== null &&
    (yearBeforeRevenue - recentRevenue) * 100 - threshold * yearBeforeRevenue > 1e-9 * yearBeforeRevenue
  ) {
    reasons.push({
      kind: "REVENUE_DROP",
      text: `revenue ${recent[0]} to ${recent[2]} is ${amount(recentRevenue)}, down ${round(drop)}% from ${amount(yearBeforeRevenue)} a year before (${yearBefore[0]} to ${yearBefore[2]}); more than ${threshold}%`,
    });
  }
  return { ...known, status: reasons.length ? "AT_RISK" : "ACTIVE_BUYER", reasons };
}

/** The score's numbers as rankAccounts rounds them; the percentile: other scored accounts scoring lower. */
function scoreOf(row: Row) {
  const score = row.score === null ? null : Number(row.score);
  const scoredCount = Number(row.scored_count);
  const previous = row.previous_score === null ? null : Number(row.previous_score);
  return {
    score,
    rank: row.rank === null ? null : Number(row.rank),
    trend: score !== null && previous !== null ? Math.round((score - previous) * 100) / 100 : null,
    percentile:
      score === null
        ? null
        : scoredCount <= 1
          ? 100
          : Math.round((Number(row.scored_below) / (scoredCount - 1)) * 10_000) / 100,
    completeness: Math.round(Number(row.completeness) * 10_000) / 10_000,
  };
}

/**
 * The dossier card (`account(id)` with the card's fields), as of now: the account and its lists
 * and figures, read together, then the personal-data reads logged before answering.
 */
async function dossier(viewer: Row, variables: Record<string, unknown>) {
  const globalId = String(variables.id ?? "");
  const decoded = decodeGlobalId(globalId);
  if (decoded?.typename !== "Account") {
    const message = `"${globalId}" is not a valid Account ID.`;
    return { account: { __typename: "InvalidIdError", code: "INVALID_ID", message } };
  }
  const id = decoded.id;
  const now = new Date();
  const lastMonth = addMonths(now.toISOString().slice(0, 7), -1);
  const recent = [-2, -1, 0].map((offset) => addMonths(lastMonth, offset));
  const yearBefore = recent.map((month) => addMonths(month, -12));
  // The segment window and measure are settings: the portfolio statement follows them, the rest
  // runs beside.
  const segmentation = readSettings().then(async (settings) => {
    const window = segmentWindow(now, settings.segmentWindowMonths);
    const [portfolio] = await query(portfolioStatements[settings.segmentMeasure], [
      id,
      window.from,
      window.to,
      window.length,
      Number(window.to.slice(0, 4)) * 12 + Number(window.to.slice(5, 7)) + 1,
      settings.abcCutoffA,
      settings.abcCutoffB,
    ]);
    return { settings, window, portfolio };
  });
  const [{ settings, window, portfolio }, [account], [score], contacts, competitors, events] =
    await Promise.all([
      segmentation,
      // The bounds of dossierAccountSql's `p`, in its order.
      query(dossierAccountSql, [
        id,
        viewer.id,
        addMonths(lastMonth, -23),
        yearBefore[0],
        addMonths(lastMonth, -12),
        addMonths(lastMonth, -11),
        recent[0],
        lastMonth,
      ]),
      query(dossierScoreSql, [id, storedInstant(new Date(now.getTime() - 90 * dayMs))]),
      query(dossierContactsSql, [id]),
      query(dossierCompetitorsSql, [id]),
      query(dossierEventsSql, [id]),
    ]);
  if (!account) {
    const message = `No Account with ID ${globalId}.`;
    return { account: { __typename: "NotFoundError", code: "NOT_FOUND", message } };
  }
  const active = account.archivedAt === null;
  const showsFacts = viewer.role === "ADMIN" || flag(account.on_team);
  const shown = showsFacts ? contacts.filter((contact) => contact.factsOf !== null) : [];
  if (shown.length) {
    const reads = shown.map((contact) => [newId(), contact.id]);
    await query(readLogSql, [viewer.id, viewer.email, storedInstant(now), JSON.stringify(reads)]);
  }
  return {
    account: {
      __typename: "Account",
      id: encodeGlobalId("Account", id),
      name: account.name,
      externalId: account.externalId,
      status: account.status,
      isKeyAccount: flag(account.isKeyAccount),
      archivedAt: isoInstant(account.archivedAt),
      segment: portfolio ? segmentOf(portfolio, settings) : null,
      clientTypes: portfolio ? clientTypesOf(account, portfolio, window) : [],
      score: score ? scoreOf(score) : null,
      growth: active ? growthOf(account) : null,
      risk: active ? riskOf(account, settings, now, recent, yearBefore) : null,
      contacts: contacts.map((contact) => ({
        id: encodeGlobalId("Contact", contact.id as string),
        name: contact.name,
        title: contact.title,
        decisionRole: contact.decisionRole,
        influence: Number(contact.influence),
        attitude: contact.attitude,
        characterType: contact.characterType,
        personalFactsRestricted: !showsFacts,
        personalFacts:
          showsFacts && contact.factsOf !== null
            ? { birthday: birthday(contact), hobbies: contact.hobbies, family: contact.family }
            : null,
        reportsTo:
          contact.reportsToId === null
            ? null
            : { id: encodeGlobalId("Contact", contact.reportsToId as string), name: contact.reportsToName },
      })),
      competitors: competitors.map((competitor) => ({
        id: encodeGlobalId("Competitor", competitor.id as string),
        name: competitor.name,
        threatLevel: competitor.threatLevel,
      })),
      events: {
        edges: events.map((event) => ({
          node: {
            id: encodeGlobalId("AccountEvent", event.id as string),
            kind: event.kind,
            occurredAt: isoInstant(event.occurredAt),
            title: event.title,
          },
        })),
      },
    },
  };
}

const operations: Record<string, (viewer: Row, variables: Record<string, unknown>) => Promise<unknown>> = {
  AccountsPage: () => accountsPage(),
  KamDossierCard: (viewer, variables) => dossier(viewer, variables),
  Viewer: async (viewer) => ({
    viewer: { kind: "USER", user: { id: encodeGlobalId("User", viewer.id as string), name: viewer.name } },
  }),
};

function send(response: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

const server = createServer(async (request, response) => {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const { operationName, variables } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      operationName?: string;
      variables?: Record<string, unknown>;
    };
    const viewer = await viewerOf(request);
    if (!viewer) return send(response, 401, { errors: [{ message: "unauthenticated" }] });
    const operation = operations[operationName ?? ""];
    if (!operation) return send(response, 400, { errors: [{ message: `no baseline for ${operationName}` }] });
    send(response, 200, { data: await operation(viewer, variables ?? {}) });
  } catch (error) {
    send(response, 500, { errors: [{ message: String(error) }] });
  }
});
server.keepAliveTimeout = 60_000;
server.listen(Number(portText), "127.0.0.1", () => console.log("baseline listening"));
