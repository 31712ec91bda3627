import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

let app: TestApp;
let adminToken: string;
let importKey: string;
let acme: { id: string; globalId: string };
let globex: { id: string; globalId: string };

const importMutation = `mutation($lines: [SalesLineInput!]!) {
  importSalesLines(input: { lines: $lines }) {
    __typename
    ... on MutationImportSalesLinesSuccess { data { received created updated unchanged monthsTouched } }
    ... on Error { code message }
    ... on SalesImportRejectedError { problems { line externalLineId message } }
    ... on ValidationError { issues { path message } }
  }
}`;

function line(overrides: Record<string, unknown> = {}) {
  return {
    externalLineId: "L-1",
    externalAccountId: "ERP-ACME",
    invoiceDate: "2026-03-15",
    product: "Flour 25 kg",
    quantity: 10,
    netAmount: 250,
    grossMargin: 60,
    currency: "EUR",
    ...overrides,
  };
}

async function importLines(lines: unknown[], token = importKey) {
  const response = await app.gql(importMutation, { lines }, token);
  expect(response.errors).toBeUndefined();
  return response.data.importSalesLines;
}

async function rollups(accountId: string) {
  return app.db.prisma.accountMonthlySales.findMany({
    where: { accountId },
    orderBy: { month: "asc" },
    select: { month: true, revenue: true, margin: true, lineCount: true },
  });
}

/** What the roll-ups must be: recomputed from every line, the way the import avoids doing. */
async function recomputed(accountId: string) {
  const lines = await app.db.prisma.salesLine.findMany({ where: { accountId } });
  const months = new Map<string, { month: string; revenue: number; margin: number; lineCount: number }>();
  for (const row of lines) {
    const month = months.get(row.month) ?? { month: row.month, revenue: 0, margin: 0, lineCount: 0 };
    month.revenue += row.netAmount;
    month.margin += row.grossMargin;
    month.lineCount += 1;
    months.set(row.month, month);
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}

function close(
  actual: { revenue: number; margin: number }[],
  expected: { revenue: number; margin: number }[],
) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, index) => {
    expect(row.revenue).toBeCloseTo(expected[index]!.revenue, 6);
    expect(row.margin).toBeCloseTo(expected[index]!.margin, 6);
  });
}

beforeAll(async () => {
  app = await createTestApp();
  adminToken = (await app.createUser("ADMIN")).token;
  importKey = (await app.createKey(["import"])).secret;
  for (const [name, externalId] of [
    ["Acme", "ERP-ACME"],
    ["Globex", "ERP-GLOBEX"],
  ] as const) {
    const account = await app.db.prisma.account.create({
      data: { name, sortName: name.toLowerCase(), externalId },
    });
    if (name === "Acme") acme = { id: account.id, globalId: globalId("Account", account.id) };
    else globex = { id: account.id, globalId: globalId("Account", account.id) };
  }
});
afterAll(() => app.close());

describe("importing invoice lines", () => {
  it("creates lines by ERP or KAM account ID and rolls them up per month", async () => {
    const result = await importLines([
      line(),
      line({ externalLineId: "L-2", netAmount: "100.50", grossMargin: "20.25", quantity: "4" }),
      line({ externalLineId: "L-3", invoiceDate: "2026-04-01", netAmount: 80, grossMargin: 16 }),
      line({
        externalLineId: "L-4",
        externalAccountId: null,
        accountId: globex.globalId,
        netAmount: 500,
        grossMargin: 90,
      }),
      // A credit note.
      line({
        externalLineId: "L-5",
        invoiceDate: "2026-03-20",
        netAmount: -50,
        grossMargin: -12,
        quantity: -2,
      }),
    ]);
    expect(result).toEqual({
      __typename: "MutationImportSalesLinesSuccess",
      data: { received: 5, created: 5, updated: 0, unchanged: 0, monthsTouched: 3 },
    });
    expect(await rollups(acme.id)).toEqual([
      { month: "2026-03", revenue: 300.5, margin: 68.25, lineCount: 3 },
      { month: "2026-04", revenue: 80, margin: 16, lineCount: 1 },
    ]);
    expect(await rollups(globex.id)).toEqual([{ month: "2026-03", revenue: 500, margin: 90, lineCount: 1 }]);
  });

  it("is idempotent: sending the same lines again changes nothing", async () => {
    const before = await app.db.prisma.salesLine.count();
    const result = await importLines([
      line(),
      line({ externalLineId: "L-3", invoiceDate: "2026-04-01", netAmount: 80, grossMargin: 16 }),
    ]);
    expect(result.data).toEqual({ received: 2, created: 0, updated: 0, unchanged: 2, monthsTouched: 0 });
    expect(await app.db.prisma.salesLine.count()).toBe(before);
    close(await rollups(acme.id), await recomputed(acme.id));
  });

  it("updates a re-sent line in place and moves the roll-ups by the difference, across months and accounts", async () => {
    const original = await app.db.prisma.salesLine.findUniqueOrThrow({ where: { externalLineId: "L-3" } });
    const result = await importLines([
      // Corrected amount, moved to May and to Globex.
      line({
        externalLineId: "L-3",
        externalAccountId: "ERP-GLOBEX",
        invoiceDate: "2026-05-02",
        netAmount: 95,
        grossMargin: 19,
      }),
    ]);
    expect(result.data).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const moved = await app.db.prisma.salesLine.findUniqueOrThrow({ where: { externalLineId: "L-3" } });
    expect(moved.id).toBe(original.id);
    expect(moved).toMatchObject({ accountId: globex.id, month: "2026-05", netAmount: 95 });
    // April lost its only line, so its roll-up is gone.
    expect((await rollups(acme.id)).map((row) => row.month)).toEqual(["2026-03"]);
    close(await rollups(acme.id), await recomputed(acme.id));
    close(await rollups(globex.id), await recomputed(globex.id));
  });

  it("stores lines as Prisma does: dates match Prisma's own, an update keeps the ID and import date", async () => {
    const written = new Date("2026-06-07T00:00:00Z");
    await app.db.prisma.salesLine.create({
      data: {
        externalLineId: "BY-PRISMA",
        accountId: globex.id,
        invoiceDate: written,
        month: "2026-06",
        product: "Salt",
        quantity: 1,
        netAmount: 1,
        grossMargin: 0,
        currency: "EUR",
      },
    });
    await app.db.prisma.accountMonthlySales.create({
      data: { accountId: globex.id, month: "2026-06", revenue: 1, margin: 0, lineCount: 1 },
    });
    await importLines([
      line({ externalLineId: "SAME-DAY", externalAccountId: "ERP-GLOBEX", invoiceDate: "2026-06-07" }),
    ]);
    const sameDay = await app.db.prisma.salesLine.findMany({
      where: { invoiceDate: written },
      orderBy: { externalLineId: "asc" },
      select: { externalLineId: true, invoiceDate: true },
    });
    expect(sameDay).toEqual([
      { externalLineId: "BY-PRISMA", invoiceDate: written },
      { externalLineId: "SAME-DAY", invoiceDate: written },
    ]);
    const first = await app.db.prisma.salesLine.findUniqueOrThrow({ where: { externalLineId: "SAME-DAY" } });
    await importLines([
      line({
        externalLineId: "SAME-DAY",
        externalAccountId: "ERP-GLOBEX",
        invoiceDate: "2026-06-07",
        netAmount: 300,
      }),
    ]);
    const second = await app.db.prisma.salesLine.findUniqueOrThrow({ where: { externalLineId: "SAME-DAY" } });
    expect(second).toMatchObject({ id: first.id, importedAt: first.importedAt, netAmount: 300 });
    expect(second.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
    close(await rollups(globex.id), await recomputed(globex.id));
  });

  it("keeps roll-ups equal to a full recount after many mixed imports", async () => {
    for (let round = 0; round < 5; round += 1) {
      const lines = Array.from({ length: 40 }, (_, index) =>
        line({
          externalLineId: `MIX-${index}`,
          externalAccountId: (index + round) % 3 === 0 ? "ERP-GLOBEX" : "ERP-ACME",
          invoiceDate: `2025-${String(((index + round) % 12) + 1).padStart(2, "0")}-0${(index % 9) + 1}`,
          netAmount: ((index * 37 + round * 11) % 500) - 100,
          grossMargin: ((index * 13 + round * 7) % 120) - 20,
        }),
      );
      await importLines(lines);
    }
    close(await rollups(acme.id), await recomputed(acme.id));
    close(await rollups(globex.id), await recomputed(globex.id));
  });
});

describe("imports at the same time", () => {
  it("two imports of the same new lines both succeed, the lines stored once and the roll-ups counted once", async () => {
    const initech = await app.db.prisma.account.create({
      data: { name: "Initech", sortName: "initech", externalId: "ERP-INITECH" },
    });
    for (let round = 0; round < 4; round += 1) {
      const lines = Array.from({ length: 40 }, (_, index) =>
        line({
          externalLineId: `RACE-${round}-${index}`,
          externalAccountId: "ERP-INITECH",
          invoiceDate: "2026-05-10",
          netAmount: 10 + index,
        }),
      );
      const results = await Promise.all([importLines(lines), importLines(lines)]);
      // Never an internal error: both are answered, one stored the lines, the other found them there.
      expect(
        results.map((result) => result.__typename),
        JSON.stringify(results),
      ).toEqual(["MutationImportSalesLinesSuccess", "MutationImportSalesLinesSuccess"]);
      const counts = results.map((result) => [result.data.created, result.data.unchanged]).sort();
      expect(counts).toEqual([
        [0, 40],
        [40, 0],
      ]);
      expect(
        await app.db.prisma.salesLine.count({ where: { externalLineId: { startsWith: `RACE-${round}-` } } }),
      ).toBe(40);
      expect(await rollups(initech.id)).toEqual(await recomputed(initech.id));
    }
  });
});

describe("a bad line rejects its whole import", () => {
  it.each([
    ["an unknown ERP account", { externalAccountId: "ERP-NOPE" }, "unknown ERP account ERP-NOPE"],
    [
      "a malformed KAM account ID",
      { externalAccountId: null, accountId: "garbage" },
      "unknown account garbage",
    ],
    ["both account references", { accountId: "x" }, "give either accountId or externalAccountId"],
    ["a bad date", { invoiceDate: "2026-02-30" }, "invoiceDate is not a calendar date"],
    ["a date in another format", { invoiceDate: "15/03/2026" }, "invoiceDate must be a date YYYY-MM-DD"],
    ["a non-numeric amount", { netAmount: "12,3x" }, "netAmount must be a number"],
    ["a non-numeric margin", { grossMargin: true }, "grossMargin must be a number"],
    ["a bad currency", { currency: "EURO" }, "currency must be a three-letter code such as EUR"],
    ["an empty product", { product: " " }, "product must not be empty"],
  ])("%s: names the line, imports nothing", async (_label, overrides, message) => {
    const linesBefore = await app.db.prisma.salesLine.count();
    const rollupsBefore = await app.db.prisma.accountMonthlySales.findMany({
      orderBy: [{ accountId: "asc" }, { month: "asc" }],
    });
    const auditBefore = await app.db.prisma.auditEntry.count();
    const result = await importLines([
      line({ externalLineId: "NEW-1" }),
      line({ externalLineId: "NEW-2", netAmount: 999 }),
      line({ externalLineId: "NEW-3", ...overrides }),
    ]);
    expect(result.__typename).toBe("SalesImportRejectedError");
    expect(result.code).toBe("SALES_IMPORT_REJECTED");
    expect(result.problems).toContainEqual({ line: 3, externalLineId: "NEW-3", message });
    expect(result.problems.every((problem: { line: number }) => problem.line === 3)).toBe(true);
    expect(await app.db.prisma.salesLine.count()).toBe(linesBefore);
    expect(
      await app.db.prisma.accountMonthlySales.findMany({ orderBy: [{ accountId: "asc" }, { month: "asc" }] }),
    ).toEqual(rollupsBefore);
    expect(await app.db.prisma.auditEntry.count()).toBe(auditBefore);
  });

  it("rejects the same line ID twice in one import, naming both lines", async () => {
    const result = await importLines([
      line({ externalLineId: "DUP" }),
      line({ externalLineId: "OK" }),
      line({ externalLineId: "DUP" }),
    ]);
    expect(result.__typename).toBe("SalesImportRejectedError");
    expect(result.problems).toEqual([
      {
        line: 3,
        externalLineId: "DUP",
        message: "externalLineId DUP appears twice in this import (also line 1)",
      },
    ]);
    expect(await app.db.prisma.salesLine.count({ where: { externalLineId: { in: ["DUP", "OK"] } } })).toBe(0);
  });

  it("refuses an empty import and one over 5,000 lines", async () => {
    expect((await importLines([])).__typename).toBe("ValidationError");
    const tooMany = Array.from({ length: 5001 }, (_, index) => line({ externalLineId: `BIG-${index}` }));
    const result = await importLines(tooMany);
    expect(result.__typename).toBe("ValidationError");
    expect(result.issues[0].message).toContain("5000");
    expect(await app.db.prisma.salesLine.count({ where: { externalLineId: { startsWith: "BIG-" } } })).toBe(
      0,
    );
  });

  it("imports exactly 5,000 lines in one call", async () => {
    const lines = Array.from({ length: 5000 }, (_, index) =>
      line({
        externalLineId: `FULL-${index}`,
        invoiceDate: `2024-${String((index % 12) + 1).padStart(2, "0")}-10`,
        netAmount: 1,
      }),
    );
    const result = await importLines(lines);
    expect(result.data).toMatchObject({ received: 5000, created: 5000 });
    const year = await app.db.prisma.accountMonthlySales.findMany({
      where: { accountId: acme.id, month: { startsWith: "2024-" } },
    });
    expect(year).toHaveLength(12);
    expect(year.reduce((sum, row) => sum + row.lineCount, 0)).toBe(5000);
  });
});

describe("a batch spanning many accounts", () => {
  it("imports 5,000 lines for 2,500 accounts, each named by its ERP ID", async () => {
    await app.db.prisma.account.createMany({
      data: Array.from({ length: 2500 }, (_, index) => ({
        name: `Wide ${index}`,
        sortName: `wide ${index}`,
        externalId: `ERP-WIDE-${index}`,
      })),
    });
    const lines = Array.from({ length: 5000 }, (_, index) =>
      line({
        externalLineId: `WIDE-${index}`,
        externalAccountId: `ERP-WIDE-${index % 2500}`,
        invoiceDate: index < 2500 ? "2025-01-10" : "2025-02-10",
        netAmount: 10,
      }),
    );
    const result = await importLines(lines);
    expect(result.data).toMatchObject({ created: 5000, monthsTouched: 5000 });
    // Moving every line to another month empties 5,000 roll-ups across 2,500 accounts at once.
    const moved = await importLines(lines.map((entry) => ({ ...entry, invoiceDate: "2025-03-10" })));
    expect(moved.data).toMatchObject({ updated: 5000 });
    const wide = await app.db.prisma.accountMonthlySales.findMany({
      where: { account: { externalId: { startsWith: "ERP-WIDE-" } } },
    });
    expect(wide).toHaveLength(2500);
    expect(wide.every((row) => row.month === "2025-03" && row.lineCount === 2 && row.revenue === 20)).toBe(
      true,
    );
  });
});

describe("who may import", () => {
  it.each([
    ["a manager", async () => (await app.createUser("MANAGER")).token],
    ["a viewer", async () => (await app.createUser("VIEWER")).token],
    ["a read+write key", async () => (await app.createKey(["read", "write"])).secret],
  ])("%s gets FORBIDDEN and nothing is imported", async (_label, token) => {
    const result = await importLines([line({ externalLineId: "NOPE-1" })], await token());
    expect(result).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
    expect(await app.db.prisma.salesLine.count({ where: { externalLineId: "NOPE-1" } })).toBe(0);
  });

  it("an admin may import, and the import is audited", async () => {
    const result = await importLines([line({ externalLineId: "ADMIN-1" })], adminToken);
    expect(result.data.created).toBe(1);
    const entry = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "sales.import" },
      orderBy: { at: "desc" },
    });
    expect(entry.after).toMatchObject({ received: 1, created: 1 });
  });
});

describe("reading the ledger", () => {
  it("shows monthly sales in a range and the lines newest first", async () => {
    const { data, errors } = await app.gql(
      `query($id: ID!) { account(id: $id) { ... on Account {
        monthlySales(from: "2026-03", to: "2026-12") { month revenue margin lineCount }
        salesLines(first: 2) { totalCount edges { node { externalLineId invoiceDate netAmount } } }
      } } }`,
      { id: acme.globalId },
      adminToken,
    );
    expect(errors).toBeUndefined();
    expect(data.account.monthlySales.map((row: { month: string }) => row.month)).toEqual(["2026-03"]);
    expect(data.account.monthlySales[0]).toMatchObject({
      revenue: expect.any(Number),
      lineCount: expect.any(Number),
    });
    const dates = data.account.salesLines.edges.map((edge: any) => edge.node.invoiceDate);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(data.account.salesLines.totalCount).toBe(
      await app.db.prisma.salesLine.count({ where: { accountId: acme.id } }),
    );
  });
});
