import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Principal } from "../../api/auth/principal.ts";
import { ForbiddenError, ValidationError } from "../../api/errors.ts";
import { findImportPrincipal, importSalesFile } from "../../api/sales-import-file.ts";
import { createTestApp, globalId, type TestApp, testTokenSecret } from "../support/app.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const header = [
  "external_line_id",
  "external_account_id",
  "invoice_date",
  "product",
  "quantity",
  "net_amount",
  "gross_margin",
  "currency",
];

let app: TestApp;
let admin: { id: string; email: string };
let principal: Principal;
let dir: string;
let fileCounter = 0;
let accountCounter = 0;

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.createUser("ADMIN");
  principal = await findImportPrincipal(app.db);
  dir = mkdtempSync(path.join(inject("testDir"), "sales-import-"));
});
afterAll(() => app.close());

/** Accounts with ERP IDs, fresh for each test so their roll-ups start empty. */
async function accounts(count: number) {
  const created = [];
  for (let i = 0; i < count; i += 1) {
    accountCounter += 1;
    created.push(
      await app.db.prisma.account.create({
        data: {
          name: `Import ${accountCounter}`,
          sortName: `import ${accountCounter}`,
          externalId: `ERP-IMP-${accountCounter}`,
        },
      }),
    );
  }
  return created;
}

function writeCsv(rows: (string | number)[][], options: { delimiter?: string; eol?: string } = {}) {
  const { delimiter = ",", eol = "\n" } = options;
  fileCounter += 1;
  const file = path.join(dir, `sales-${fileCounter}.csv`);
  writeFileSync(file, rows.map((row) => row.join(delimiter)).join(eol) + eol);
  return file;
}

interface Line {
  id: string;
  account: string;
  date: string;
  net: number;
  margin: number;
}

/** `count` lines spread over the accounts and three months, a credit note among them. */
function generate(prefix: string, externalIds: string[], count: number): Line[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    account: externalIds[i % externalIds.length]!,
    date: `2026-0${1 + (i % 3)}-${String(1 + (i % 27)).padStart(2, "0")}`,
    net: i === 4 ? -80.5 : 100 + i * 12.25,
    margin: i === 4 ? -20 : 25 + i * 1.5,
  }));
}

const csvRows = (lines: Line[]) =>
  lines.map((line) => [line.id, line.account, line.date, "Pump", 2, line.net, line.margin, "EUR"]);

/** What the roll-ups must hold: sums per ERP account and month. */
function expectedRollups(lines: Line[]) {
  const sums = new Map<
    string,
    { account: string; month: string; revenue: number; margin: number; lineCount: number }
  >();
  for (const line of lines) {
    const key = `${line.account}|${line.date.slice(0, 7)}`;
    const sum = sums.get(key) ?? {
      account: line.account,
      month: line.date.slice(0, 7),
      revenue: 0,
      margin: 0,
      lineCount: 0,
    };
    sum.revenue += line.net;
    sum.margin += line.margin;
    sum.lineCount += 1;
    sums.set(key, sum);
  }
  return [...sums.values()].sort((a, b) =>
    `${a.account}|${a.month}`.localeCompare(`${b.account}|${b.month}`),
  );
}

async function rollups(accountIds: string[]) {
  const rows = await app.db.prisma.accountMonthlySales.findMany({
    where: { accountId: { in: accountIds } },
    include: { account: { select: { externalId: true } } },
  });
  return rows
    .map((row) => ({
      account: row.account.externalId!,
      month: row.month,
      revenue: row.revenue,
      margin: row.margin,
      lineCount: row.lineCount,
    }))
    .sort((a, b) => `${a.account}|${a.month}`.localeCompare(`${b.account}|${b.month}`));
}

function expectRollups(
  actual: Awaited<ReturnType<typeof rollups>>,
  expected: ReturnType<typeof expectedRollups>,
) {
  expect(actual.map(({ account, month, lineCount }) => ({ account, month, lineCount }))).toEqual(
    expected.map(({ account, month, lineCount }) => ({ account, month, lineCount })),
  );
  actual.forEach((row, i) => {
    expect(row.revenue).toBeCloseTo(expected[i]!.revenue, 6);
    expect(row.margin).toBeCloseTo(expected[i]!.margin, 6);
  });
}

function readReport(file: string) {
  return (parse(readFileSync(file), { columns: true, delimiter: "," }) as Record<string, string>[]).map(
    (row) => ({ line: Number(row.line), externalLineId: row.external_line_id, reason: row.reason }),
  );
}

describe("import-sales file", () => {
  it("imports a whole file with roll-ups matching the lines; the same file again changes nothing", async () => {
    const owned = await accounts(3);
    const lines = generate(
      "GOOD",
      owned.map((account) => account.externalId!),
      30,
    );
    const file = writeCsv([header, ...csvRows(lines)]);

    const first = await importSalesFile({ ...app, principal }, file);
    expect(first).toMatchObject({ rows: 30, created: 30, updated: 0, unchanged: 0, rejected: 0, batches: 1 });
    expect(first.reportPath).toBeNull();
    expect(existsSync(`${file}.rejected.csv`)).toBe(false);
    const ids = owned.map((account) => account.id);
    expect(await app.db.prisma.salesLine.count({ where: { accountId: { in: ids } } })).toBe(30);
    const after = await rollups(ids);
    expectRollups(after, expectedRollups(lines));
    const audit = await app.db.prisma.auditEntry.findFirst({
      where: { action: "sales.import", actorId: admin.id },
      orderBy: { at: "desc" },
    });
    expect(audit?.actorLabel).toBe(admin.email);

    const again = await importSalesFile({ ...app, principal }, file);
    expect(again).toMatchObject({ rows: 30, created: 0, updated: 0, unchanged: 30, rejected: 0 });
    expect(await rollups(ids)).toEqual(after);

    // A corrected amount in a later export updates that line and moves its month by the difference.
    lines[7]!.net += 1000;
    const corrected = writeCsv([header, ...csvRows(lines)]);
    const third = await importSalesFile({ ...app, principal }, corrected);
    expect(third).toMatchObject({ created: 0, updated: 1, unchanged: 29 });
    expectRollups(await rollups(ids), expectedRollups(lines));
  });

  it("imports the good rows of a file with broken ones and lists the broken ones by file line", async () => {
    const [account] = await accounts(1);
    const erp = account!.externalId!;
    // CRLF line endings and a quoted field spanning two lines, as a spreadsheet exports them.
    const file = writeCsv(
      [
        header, // line 1
        ["OK-1", erp, "2026-03-02", "Pump", 1, 100, 30, "EUR"], // 2
        ["BAD-DATE", erp, "2026-02-30", "Pump", 1, 100, 30, "EUR"], // 3
        ["OK-2", erp, "2026-03-03", '"Pump\r\nlarge, blue"', 1, 50, 10, "EUR"], // 4-5
        ["BAD-AMOUNT", erp, "2026-03-04", "Pump", 1, "12x", 30, "EUR"], // 6
        ["BAD-ACCOUNT", "ERP-NOBODY", "2026-03-05", "Pump", 1, 100, 30, "EUR"], // 7
        ["BAD-COLUMNS", erp, "2026-03-06", "Pump", 1, 100], // 8
        [], // 9: empty line
        ["OK-3", erp, "2026-03-07", "Pump", 1, 25, 5, "EUR"], // 10
      ],
      { eol: "\r\n" },
    );

    const result = await importSalesFile({ ...app, principal }, file);
    expect(result).toMatchObject({ rows: 7, created: 3, updated: 0, unchanged: 0, rejected: 4 });
    expect(result.reportPath).toBe(`${file}.rejected.csv`);
    expect(readReport(`${file}.rejected.csv`)).toEqual([
      { line: 3, externalLineId: "BAD-DATE", reason: "invoice_date is not a calendar date" },
      { line: 6, externalLineId: "BAD-AMOUNT", reason: "net_amount must be a number" },
      { line: 7, externalLineId: "BAD-ACCOUNT", reason: "unknown ERP account ERP-NOBODY" },
      { line: 8, externalLineId: "BAD-COLUMNS", reason: "expected 8 columns like the header, found 6" },
    ]);
    const imported = await app.db.prisma.salesLine.findMany({
      where: { accountId: account!.id },
      orderBy: { externalLineId: "asc" },
    });
    expect(imported.map((line) => line.externalLineId)).toEqual(["OK-1", "OK-2", "OK-3"]);
    expect(imported[1]!.product).toBe("Pump\r\nlarge, blue");
    expect(await rollups([account!.id])).toEqual([
      { account: erp, month: "2026-03", revenue: 175, margin: 45, lineCount: 3 },
    ]);

    // Fixed and run again: the good rows are unchanged, the fixed ones created, the old report gone.
    const fixed = writeCsv([
      header,
      ["OK-1", erp, "2026-03-02", "Pump", 1, 100, 30, "EUR"],
      ["BAD-DATE", erp, "2026-02-28", "Pump", 1, 100, 30, "EUR"],
    ]);
    writeFileSync(`${fixed}.rejected.csv`, "stale");
    const rerun = await importSalesFile({ ...app, principal }, fixed);
    expect(rerun).toMatchObject({ rows: 2, created: 1, unchanged: 1, rejected: 0, reportPath: null });
    expect(existsSync(`${fixed}.rejected.csv`)).toBe(false);
  });

  it("reads `;` as delimiter with decimal commas, and KAM account IDs", async () => {
    const [first, second] = await accounts(2);
    const file = writeCsv(
      [
        [
          "external_line_id",
          "account_id",
          "invoice_date",
          "product",
          "quantity",
          "net_amount",
          "gross_margin",
          "currency",
        ],
        ["SEMI-1", first!.id, "2026-04-01", "Pump, large", "2,5", "1234,50", "200,25", "eur"],
        ["SEMI-2", globalId("Account", second!.id), "2026-04-02", "Valve", "1", "-12,5", "-0,75", "EUR"],
        ["SEMI-3", first!.id, "2026-04-03", "Valve", "3", "99.9", "10", "EUR"],
      ],
      { delimiter: ";" },
    );
    const result = await importSalesFile({ ...app, principal }, file);
    expect(result).toMatchObject({ rows: 3, created: 3, rejected: 0 });
    const lines = await app.db.prisma.salesLine.findMany({
      where: { externalLineId: { startsWith: "SEMI-" } },
      orderBy: { externalLineId: "asc" },
    });
    expect(
      lines.map(({ accountId, product, quantity, netAmount, grossMargin, currency }) => ({
        accountId,
        product,
        quantity,
        netAmount,
        grossMargin,
        currency,
      })),
    ).toEqual([
      {
        accountId: first!.id,
        product: "Pump, large",
        quantity: 2.5,
        netAmount: 1234.5,
        grossMargin: 200.25,
        currency: "EUR",
      },
      {
        accountId: second!.id,
        product: "Valve",
        quantity: 1,
        netAmount: -12.5,
        grossMargin: -0.75,
        currency: "EUR",
      },
      {
        accountId: first!.id,
        product: "Valve",
        quantity: 3,
        netAmount: 99.9,
        grossMargin: 10,
        currency: "EUR",
      },
    ]);
  });

  it("gives the same totals in batches of 2 as in one batch, repeated lines and rejected rows included", async () => {
    const whole = await accounts(3);
    const small = await accounts(3);
    const build = (prefix: string, owners: typeof whole) => {
      const lines = generate(
        prefix,
        owners.map((account) => account.externalId!),
        25,
      );
      // The same line twice: the later row wins however the file is cut into batches.
      const repeated = { ...lines[3]!, net: 1, margin: 0.5 };
      const rows = csvRows(lines);
      rows.splice(12, 0, ["", owners[0]!.externalId!, "2026-01-05", "Pump", 1, 5, 1, "EUR"]); // line 14: no ID
      rows.push(csvRows([repeated])[0]!);
      const final = lines.map((line) => (line.id === repeated.id ? repeated : line));
      return { file: writeCsv([header, ...rows]), final };
    };
    const a = build("WHOLE", whole);
    const b = build("SMALL", small);

    const one = await importSalesFile({ ...app, principal }, a.file);
    const many = await importSalesFile({ ...app, principal }, b.file, { batchSize: 2 });
    for (const result of [one, many]) {
      expect(result).toMatchObject({ rows: 27, created: 25, updated: 1, unchanged: 0, rejected: 1 });
      expect(readReport(result.reportPath!)).toEqual([
        { line: 14, externalLineId: "", reason: "external_line_id must not be empty" },
      ]);
    }
    expect(one.batches).toBe(2);
    expect(many.batches).toBeGreaterThanOrEqual(13);

    const rename = (rows: Awaited<ReturnType<typeof rollups>>, owners: typeof whole) =>
      rows.map((row) => ({
        ...row,
        account: String(owners.findIndex((owner) => owner.externalId === row.account)),
      }));
    const wholeRollups = await rollups(whole.map((account) => account.id));
    expectRollups(wholeRollups, expectedRollups(a.final));
    expect(rename(await rollups(small.map((account) => account.id)), small)).toEqual(
      rename(wholeRollups, whole),
    );
  });

  it("stops at a quote that is never closed, keeping the rows before it and saying where", async () => {
    const [account] = await accounts(1);
    const erp = account!.externalId!;
    const file = writeCsv([
      header,
      ["Q-1", erp, "2026-05-01", "Pump", 1, 10, 1, "EUR"],
      ["Q-2", erp, "2026-05-02", "Pump", 1, 10, 1, "EUR"],
      ["Q-3", erp, "2026-05-03", '"Pump', 1, 10, 1, "EUR"],
      ["Q-4", erp, "2026-05-04", "Pump", 1, 10, 1, "EUR"],
    ]);
    const result = await importSalesFile({ ...app, principal }, file);
    expect(result).toMatchObject({ rows: 2, created: 2, rejected: 1, stoppedAt: { line: 4 } });
    expect(readReport(result.reportPath!)).toEqual([
      { line: 4, externalLineId: "", reason: expect.stringContaining("never closed") },
    ]);
    expect(await app.db.prisma.salesLine.count({ where: { accountId: account!.id } })).toBe(2);
  });

  it("refuses a file without the needed columns, and an import without an active admin", async () => {
    const file = writeCsv([
      ["external_line_id", "invoice_date", "product", "quantity", "net_amount", "currency"],
      ["H-1", "2026-01-01", "Pump", 1, 10, "EUR"],
    ]);
    const refused = importSalesFile({ ...app, principal }, file);
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toThrow(/missing column gross_margin.*account_id .*or external_account_id/);
    expect(await app.db.prisma.salesLine.count({ where: { externalLineId: "H-1" } })).toBe(0);
    await expect(importSalesFile({ ...app, principal }, path.join(dir, "missing.csv"))).rejects.toThrow(
      /no such file/,
    );

    await app.db.prisma.user.updateMany({ where: { role: "ADMIN" }, data: { deactivatedAt: new Date() } });
    try {
      await expect(findImportPrincipal(app.db)).rejects.toThrow(ForbiddenError);
    } finally {
      await app.db.prisma.user.updateMany({ where: { role: "ADMIN" }, data: { deactivatedAt: null } });
    }
  });

  it("runs as `npm run kam -- import-sales <file>`", { timeout: 60_000 }, async () => {
    const [account] = await accounts(1);
    const file = writeCsv([
      header,
      ["CLI-1", account!.externalId!, "2026-06-01", "Pump", 1, 10, 1, "EUR"],
      ["CLI-2", account!.externalId!, "2026-06-02", "Pump", 1, 20, 2, "EUR"],
      ["CLI-3", account!.externalId!, "2026-06-03", "Pump", 1, 30, 3, "EUR"],
    ]);
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "api/cli.ts", "import-sales", file, "--batch-size", "2"],
      { cwd: root, env: { ...process.env, DATABASE_URL: app.db.url, KAM_TOKEN_SECRET: testTokenSecret } },
    );
    expect(stdout).toMatch(
      /3 rows read, 3 created, 0 updated, 0 unchanged, 0 rejected in [\d.]+ s \(\d+ lines\/s, 2 batches\)/,
    );
    expect(stderr).toContain(`as ${admin.email}`);
    expect(await rollups([account!.id])).toEqual([
      { account: account!.externalId!, month: "2026-06", revenue: 60, margin: 6, lineCount: 3 },
    ]);
  });
});
