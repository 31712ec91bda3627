/**
 * Benchmark: ABC-XYZ segmentation through GraphQL against one hand-written SQL statement, and the
 * sales import rate. Not part of the test suite (vitest only picks up test/api/**\/*.test.ts).
 *
 * Run without npm scripts, from the repository root:
 *
 *   npx tsx test/bench/segments.bench.ts                       # SQLite in a temp file, 1M lines, 10k accounts
 *   npx tsx test/bench/segments.bench.ts --lines 100000 --accounts 10000
 *   KAM_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test \
 *     npx tsx test/bench/segments.bench.ts --database postgres  # fresh databases, dropped at the end
 *
 * Options: --lines N (1,000,000), --accounts N (10,000), --months N (24), --database sqlite|postgres,
 * --import-lines N (100,000), --runs N (5).
 *
 * It prints:
 *   (a) segmentMatrix plus every account's segment through GraphQL (app.yoga.fetch, admin token),
 *   (b) one SQL statement computing the same classes from AccountMonthlySales (same driver),
 *   (c) the ratio (a)/(b),
 *   (d) the same statement from the raw SalesLine table,
 *   (e) lines per second importing through importSalesLines in batches of 5,000 into a fresh database.
 * Timings are medians of --runs runs after one warm-up; (b) is checked to give the API's classes.
 */

import { parseArgs } from "node:util";
import { createApp } from "../../api/app.ts";
import { signUserToken } from "../../api/auth/user-tokens.ts";
import { loadConfig } from "../../api/config.ts";
import { type Database, type DbClient, openDatabase } from "../../api/db/index.ts";
import { forgetRemembered } from "../../api/db/since-last-write.ts";
import { encodeGlobalId } from "../../api/global-id.ts";
import { actingAs, operatorContext } from "../../api/operator-context.ts";
import { importSalesLines, type SalesLineInput } from "../../api/services/sales-ledger.ts";
import { segmentWindow } from "../../api/services/segments.ts";
import { readSettings, type Settings } from "../../api/services/settings.ts";
import { FastRandom, monthsBefore } from "../../prisma/seed/sales.ts";
import { seedScaleData } from "../../prisma/seed/scale.ts";
import { benchDatabases, timed as timedRuns } from "./support.ts";

const { values: args } = parseArgs({
  options: {
    lines: { type: "string", default: "1000000" },
    accounts: { type: "string", default: "10000" },
    months: { type: "string", default: "24" },
    database: { type: "string", default: "sqlite" },
    "import-lines": { type: "string", default: "100000" },
    runs: { type: "string", default: "5" },
  },
});
const lineCount = Number(args.lines);
const accountCount = Number(args.accounts);
const monthCount = Number(args.months);
const importLines = Number(args["import-lines"]);
const runs = Number(args.runs);
const kind = args.database === "postgres" ? "postgres" : "sqlite";
const tokenSecret = "bench-secret-that-is-long-enough-for-hs256-signing";

const databases = benchDatabases(kind);
const workDir = databases.workDir;
const migratedDatabase = databases.migrated;
const timed = <T>(run: () => Promise<T>) => timedRuns(runs, run);

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));

/**
 * ABC and XYZ per account in one statement, by the rules of api/services/segments.ts: the window's
 * value per account; ABC by the cumulative share of the accounts ranked above (ties take the class
 * of the first of them); XYZ by the population CV over the months since the account's first sale
 * (zero months included), Z for too short a history or no sales in the window.
 * `fromLines` sums the raw lines per account and month first instead of reading the roll-ups.
 */
function segmentationSql(settings: Settings, asOf: Date, fromLines: boolean): string {
  const window = segmentWindow(asOf, settings.segmentWindowMonths);
  const measure = settings.segmentMeasure === "MARGIN" ? "margin" : "revenue";
  const lineMeasure = settings.segmentMeasure === "MARGIN" ? "grossMargin" : "netAmount";
  const prelude = fromLines
    ? `lines AS (SELECT "accountId", "month", SUM("${lineMeasure}") AS "${measure}"
         FROM "SalesLine" GROUP BY "accountId", "month"),`
    : "";
  const source = fromLines ? "lines" : `"AccountMonthlySales"`;
  const { abcCutoffA: a, abcCutoffB: b, xyzCutoffX: x, xyzCutoffY: y } = settings;
  return `
WITH ${prelude}
first_sale AS (
  SELECT "accountId", MIN("month") AS first_month FROM ${source}
  WHERE "month" <= '${window.to}' GROUP BY "accountId"
),
acc AS (
  SELECT a."id" AS id, a."name" AS name,
    CASE WHEN f.first_month > '${window.from}'
      THEN ${monthIndex(window.to)} - (CAST(SUBSTR(f.first_month, 1, 4) AS INTEGER) * 12
        + CAST(SUBSTR(f.first_month, 6, 2) AS INTEGER)) + 1
      ELSE ${window.months.length} END AS n
  FROM "Account" a LEFT JOIN first_sale f ON f."accountId" = a."id"
  WHERE a."archivedAt" IS NULL
),
monthly AS (
  SELECT acc.id, acc.name, acc.n, m.v,
    SUM(m.v) OVER (PARTITION BY acc.id) AS value,
    COUNT(m.v) OVER (PARTITION BY acc.id) AS present
  FROM acc LEFT JOIN (
    SELECT "accountId", "${measure}" AS v FROM ${source}
    WHERE "month" >= '${window.from}' AND "month" <= '${window.to}'
  ) m ON m."accountId" = acc.id
),
per AS (
  SELECT id, name, n, MAX(present) AS present, COALESCE(MAX(value), 0) AS value,
    SUM(CASE WHEN v IS NULL THEN 0 ELSE (v - value / n) * (v - value / n) END) AS ss
  FROM monthly GROUP BY id, name, n
),
ranked AS (
  SELECT id, n, present, value,
    ss + (n - present) * (value / n) * (value / n) AS ss,
    SUM(CASE WHEN value > 0 THEN value ELSE 0 END) OVER () AS total,
    COALESCE(SUM(CASE WHEN value > 0 THEN value ELSE 0 END) OVER (
      ORDER BY value DESC, name, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
  FROM per
)
SELECT id, value,
  CASE WHEN value <= 0 THEN 'C'
    WHEN MIN(before) OVER (PARTITION BY value) < ${a} * total THEN 'A'
    WHEN MIN(before) OVER (PARTITION BY value) < ${b} * total THEN 'B'
    ELSE 'C' END AS abc,
  CASE WHEN present = 0 OR n < ${settings.xyzMinimumMonths} OR value <= 0 THEN 'Z'
    WHEN ss / n <= ${x * x} * (value / n) * (value / n) THEN 'X'
    WHEN ss / n <= ${y * y} * (value / n) * (value / n) THEN 'Y'
    ELSE 'Z' END AS xyz
FROM ranked`;
}

interface ClassRow {
  id: string;
  abc: string;
  xyz: string;
}

function cellCounts(rows: ClassRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const abc of "ABC") for (const xyz of "XYZ") counts[abc + xyz] = 0;
  for (const row of rows) counts[row.abc + row.xyz] = (counts[row.abc + row.xyz] ?? 0) + 1;
  return counts;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const table: [string, string][] = [];
const note = (label: string, value: string) => {
  table.push([label, value]);
  console.log(`  ${label}: ${value}`);
};

async function benchSegments() {
  const url = await migratedDatabase();
  const db: Database = openDatabase(url);
  const admin = await db.prisma.user.create({
    data: { email: "bench-admin@bench.kam", name: "Bench Admin", role: "ADMIN" },
  });
  console.log(`Loading ${accountCount} accounts, ${lineCount} lines over ${monthCount} months (${kind}) …`);
  const summary = await seedScaleData(db, {
    accounts: accountCount,
    months: monthCount,
    lines: lineCount,
  });
  note(
    "load: seedScaleData",
    `${(summary.milliseconds / 1000).toFixed(1)} s (${summary.salesLines} lines, ${summary.monthlySales} roll-ups, ` +
      `${Math.round(summary.salesLines / (summary.milliseconds / 1000))} lines/s)`,
  );
  if (kind === "postgres") await db.prisma.$executeRawUnsafe("ANALYZE");

  const app = createApp(
    loadConfig({ DATABASE_URL: url, KAM_TOKEN_SECRET: tokenSecret, KAM_DATA_DIR: workDir }),
    db,
  );
  const token = await signUserToken(app.tokenSecret, admin.id, 3600);
  type Segment = { accountId: string; abc: string; xyz: string; value: number };
  interface Result {
    segmentMatrix: { cells: { abc: string; xyz: string; accountCount: number }[] };
    accountSegments: Segment[];
  }
  const post = async (query: string): Promise<Result> => {
    // Computed afresh each run, as after a write, not answered from what the run before remembered.
    forgetRemembered(app.db);
    const response = await app.yoga.fetch("http://kam.bench/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: Result; errors?: unknown[] };
    if (body.errors || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  // (a) One request: the matrix and every account's classes.
  const single =
    "{ segmentMatrix { cells { abc xyz accountCount } } accountSegments { accountId abc xyz value } }";
  const api = await timed(() => post(single));
  note(
    "(a) GraphQL segmentMatrix + accountSegments",
    `${fmt(api.ms)} (one request, ${api.result.accountSegments.length} accounts)`,
  );
  const apiCells = Object.fromEntries(
    api.result.segmentMatrix.cells.map((cell) => [cell.abc + cell.xyz, cell.accountCount]),
  );
  const apiByAccount = new Map<string, Segment>(
    api.result.accountSegments.map((segment) => [
      Buffer.from(segment.accountId, "base64")
        .toString()
        .replace(/^Account:/, ""),
      segment,
    ]),
  );

  const settings = await readSettings(db.prisma);
  const asOf = new Date();
  const run = (fromLines: boolean) => () =>
    (db.prisma as DbClient).$queryRawUnsafe<ClassRow[]>(segmentationSql(settings, asOf, fromLines));
  const sql = await timed(run(false));
  note("(b) one SQL statement over AccountMonthlySales", fmt(sql.ms));
  note("(c) ratio (a)/(b)", `${(api.ms / sql.ms).toFixed(2)}×`);
  const sqlCells = cellCounts(sql.result);
  const mismatched = sql.result.filter((row) => {
    const segment = apiByAccount.get(row.id);
    return !segment || segment.abc !== row.abc || segment.xyz !== row.xyz;
  }).length;
  const same = JSON.stringify(sqlCells) === JSON.stringify(apiCells);
  note(
    "    check: SQL classes = API classes",
    `${same && mismatched === 0 ? "yes" : "NO"} (cells ${JSON.stringify(sqlCells)}; ` +
      `${apiByAccount.size} accounts from the API, ${mismatched} differing)`,
  );
  if (!same) console.log("    API cells:", JSON.stringify(apiCells));

  const raw = await timed(run(true));
  note(
    "(d) the same SQL over raw SalesLine",
    `${fmt(raw.ms)} (${(raw.ms / sql.ms).toFixed(1)}× the roll-ups)`,
  );
  const rawSame = JSON.stringify(cellCounts(raw.result)) === JSON.stringify(sqlCells);
  note(
    "    check: same classes from the lines",
    rawSame ? "yes" : `NO ${JSON.stringify(cellCounts(raw.result))}`,
  );
  await app.close();
}

async function benchImport() {
  const url = await migratedDatabase();
  const db = openDatabase(url);
  const admin = await db.prisma.user.create({
    data: { email: "bench-import@bench.kam", name: "Bench Importer", role: "ADMIN" },
  });
  const importAccounts = Math.min(accountCount, 10_000);
  await seedScaleData(db, { accounts: importAccounts, months: 12, lines: 0, seed: 7 });
  const accounts = await db.prisma.account.findMany({ select: { id: true } });
  const months = monthsBefore(new Date(), 12);
  const random = new FastRandom(99);
  // Lines in account order, as an ERP export by customer comes: a batch of 5,000 lines spans
  // hundreds of accounts.
  const lines: SalesLineInput[] = Array.from({ length: importLines }, (_, index) => {
    const month = months[random.int(0, months.length - 1)] as string;
    const netAmount = random.int(100, 500_000) / 100;
    return {
      externalLineId: `BENCH-${String(index).padStart(8, "0")}`,
      accountId: encodeGlobalId(
        "Account",
        (accounts[Math.floor((index * accounts.length) / importLines)] as { id: string }).id,
      ),
      invoiceDate: `${month}-${String(random.int(1, 28)).padStart(2, "0")}`,
      product: "Bench product",
      quantity: random.int(1, 50),
      netAmount,
      grossMargin: Math.round(netAmount * 25) / 100,
      currency: "EUR",
    };
  });
  console.log(`Importing ${importLines} lines in batches of 5,000 (${kind}) …`);
  const principal = { kind: "user" as const, user: admin };
  const started = performance.now();
  for (let start = 0; start < lines.length; start += 5_000) {
    await importSalesLines(actingAs(operatorContext(db), principal), lines.slice(start, start + 5_000));
  }
  const seconds = (performance.now() - started) / 1000;
  const rate = importLines / seconds;
  note(
    "(e) import through importSalesLines",
    `${Math.round(rate)} lines/s (${importLines} lines in ${seconds.toFixed(1)} s; 1M lines ≈ ${(1_000_000 / rate).toFixed(0)} s)`,
  );
  const stored = await db.prisma.salesLine.count();
  if (stored !== importLines) throw new Error(`imported ${stored} lines, expected ${importLines}`);
  await db.close();
}

try {
  await benchSegments();
  await benchImport();
  const width = Math.max(...table.map(([label]) => label.length));
  console.log(
    `\nKAM segmentation benchmark — ${kind}, ${accountCount} accounts, ${lineCount} lines, ${monthCount} months`,
  );
  console.log("-".repeat(width + 40));
  for (const [label, value] of table) console.log(`${label.padEnd(width)}  ${value}`);
  console.log("-".repeat(width + 40));
  console.log("Aims: (c) ≤ 1.2×; import of 1M lines under 60 s on SQLite.");
} finally {
  await databases.cleanUp();
}
