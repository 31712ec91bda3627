/**
 * Benchmark: a page of the score matrix through GraphQL against one hand-written SQL pivot on the
 * same driver. Not part of the test suite (vitest only picks up test/api/**\/*.test.ts).
 *
 * Run from the repository root:
 *
 *   npx tsx test/bench/scoring.bench.ts                        # SQLite in a temp file
 *   KAM_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test \
 *     npx tsx test/bench/scoring.bench.ts --database postgres  # a fresh database, dropped at the end
 *
 * Options: --accounts N (10,000), --page N (100), --database sqlite|postgres, --runs N (9).
 *
 * It loads N accounts scored on the ten criteria of the default set (about 7% of the cells left
 * unscored) and prints:
 *   (a) scoreMatrix(first: page) through GraphQL (app.yoga.fetch, admin token): every row's ten
 *       cells, score, rank, percentile, completeness and key-account verdict,
 *   (b) one SQL statement pivoting the same page from the same tables: the ten values, score,
 *       completeness and rank of the best-scored accounts,
 *   (c) the ratio (a)/(b).
 * Timings are medians of --runs rounds after one warm-up, the measurements taking turns in each
 * round so that a busy machine slows them alike; (b) is checked to give the API's page.
 */

import { parseArgs } from "node:util";
import { createApp } from "../../api/app.ts";
import { signUserToken } from "../../api/auth/user-tokens.ts";
import { loadConfig } from "../../api/config.ts";
import { openDatabase } from "../../api/db/index.ts";
import { forgetRemembered } from "../../api/db/since-last-write.ts";
import { articleCriteria } from "../../api/services/criteria-sets.ts";
import { insertRows } from "../../prisma/seed/bulk.ts";
import {
  createScaleCriteriaSet,
  scaleScoreColumns,
  scaleScoreRows,
  seedScaleData,
} from "../../prisma/seed/scale.ts";
import { benchDatabases, interleaved } from "./support.ts";

const { values: args } = parseArgs({
  options: {
    accounts: { type: "string", default: "10000" },
    page: { type: "string", default: "100" },
    database: { type: "string", default: "sqlite" },
    runs: { type: "string", default: "9" },
  },
});
const accountCount = Number(args.accounts);
const pageSize = Number(args.page);
const runs = Number(args.runs);
const kind = args.database === "postgres" ? "postgres" : "sqlite";
const databases = benchDatabases(kind);
const tokenSecret = "bench-secret-that-is-long-enough-for-hs256-signing";

/** The page by hand: conditional aggregation over Score per account, one column per criterion. */
function pivotSql(setId: string, criterionIds: string[], limit: number) {
  const real = kind === "postgres" ? "DOUBLE PRECISION" : "REAL";
  const columns = criterionIds
    .map((id, index) => `MAX(CASE WHEN s."criterionId" = '${id}' THEN s."value" END) AS c${index}`)
    .join(",\n    ");
  return `
WITH per_account AS (
  SELECT s."accountId" AS id,
    ${columns},
    SUM(w."weight" * s."value") AS ws, SUM(w."weight") AS sw
  FROM "Score" s CROSS JOIN "CriterionWeight" w
  WHERE w."criterionId" = s."criterionId" AND w."criteriaSetId" = '${setId}'
  GROUP BY s."accountId"
),
scored AS (
  SELECT a."id" AS id, a."sortName" AS sort_name, ${criterionIds.map((_, index) => `p.c${index}`).join(", ")},
    CASE WHEN p.sw > 0 THEN CAST(ROUND(CAST((p.ws / p.sw - 1) * 100.0 / 9 AS NUMERIC), 2) AS ${real}) END AS score,
    COALESCE(p.sw, 0) / (SELECT SUM("weight") FROM "CriterionWeight" WHERE "criteriaSetId" = '${setId}') AS completeness
  FROM "Account" a LEFT JOIN per_account p ON p.id = a."id"
  WHERE a."archivedAt" IS NULL
)
SELECT scored.*, RANK() OVER (ORDER BY score DESC NULLS LAST) AS rank
FROM scored ORDER BY score DESC NULLS LAST, sort_name, id LIMIT ${limit}`;
}

async function main() {
  const url = await databases.migrated();
  const db = openDatabase(url);
  console.log(`Loading ${accountCount} accounts scored on ${articleCriteria.length} criteria (${kind}) …`);
  await seedScaleData(db, { accounts: accountCount, months: 1, lines: 0 });
  const admin = await db.prisma.user.create({
    data: { email: "bench-admin@bench.kam", name: "Bench Admin", role: "ADMIN" },
  });
  const set = await createScaleCriteriaSet(db, admin, "Bench");
  const criterionIds = set.weights.map((entry) => entry.criterionId);
  const accounts = await db.prisma.account.findMany({ select: { id: true } });
  const scores = scaleScoreRows(
    accounts.map((account) => account.id),
    criterionIds,
    admin,
    { seed: 5, evidence: "Bench evidence" },
  );
  const loadStarted = performance.now();
  await db.prisma.$transaction(async (tx) => insertRows(tx, kind, "Score", scaleScoreColumns, scores), {
    timeout: 600_000,
  });
  console.log(
    `  load: ${scores.length} scores in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`,
  );
  if (kind === "postgres") await db.prisma.$executeRawUnsafe("ANALYZE");

  const app = createApp(
    loadConfig({ DATABASE_URL: url, KAM_TOKEN_SECRET: tokenSecret, KAM_DATA_DIR: databases.workDir }),
    db,
  );
  const token = await signUserToken(app.tokenSecret, admin.id, 3600);
  const query = `{ scoreMatrix(first: ${pageSize}) { ... on QueryScoreMatrixSuccess { data {
    totalCount
    edges { node { accountId: account { id } score rank percentile completeness wouldBeKey cells { value } } }
  } } } }`;
  const pageQuery = query.replace("accountId: account { id } ", "");
  type Row = {
    score: number | null;
    rank: number | null;
    completeness: number;
    cells: { value: number | null }[];
  };
  const post = async (text: string) => {
    // Computed afresh each run, as after a write, not answered from what the run before remembered.
    forgetRemembered(app.db);
    const response = await app.yoga.fetch("http://kam.bench/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: text }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors || !body.data?.scoreMatrix?.data)
      throw new Error(`GraphQL errors: ${JSON.stringify(body)}`);
    return body.data.scoreMatrix.data.edges.map((edge: { node: Row }) => edge.node) as Row[];
  };

  const measured = await interleaved<"api" | "sql" | "withAccounts", unknown>(runs, {
    api: () => post(pageQuery),
    sql: () => db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(pivotSql(set.id, criterionIds, pageSize)),
    withAccounts: () => post(query),
  });
  const api = measured.api as { ms: number; result: Row[] };
  const sql = measured.sql as { ms: number; result: Record<string, unknown>[] };
  const withAccounts = measured.withAccounts;
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`  (a) GraphQL scoreMatrix(first: ${pageSize}): ${fmt(api.ms)}`);
  console.log(`  (b) one SQL pivot of the same page: ${fmt(sql.ms)}`);
  console.log(`  (c) ratio (a)/(b): ${(api.ms / sql.ms).toFixed(2)}×`);

  const sqlRows = sql.result.map((row) => ({
    score: row.score === null ? null : Number(row.score),
    rank: Number(row.rank),
    completeness: Math.round(Number(row.completeness) * 10_000) / 10_000,
    cells: criterionIds.map((_, index) => ({
      value: row[`c${index}`] === null ? null : Number(row[`c${index}`]),
    })),
  }));
  const apiRows = api.result.map(({ score, rank, completeness, cells }) => ({
    score,
    rank,
    completeness,
    cells,
  }));
  const same = JSON.stringify(sqlRows) === JSON.stringify(apiRows);
  console.log(`      check: same page, values, scores and ranks: ${same ? "yes" : "NO"}`);
  console.log(
    `  (a') the same page with each row's account node: ${fmt(withAccounts.ms)} (${(withAccounts.ms / sql.ms).toFixed(2)}× (b))`,
  );
  await app.close();
  if (!same) process.exitCode = 1;
}

try {
  await main();
} finally {
  await databases.cleanUp();
}
