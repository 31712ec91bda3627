import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classify, segmentMatrix, segmentWindow } from "../../api/services/segments.ts";
import { defaultSettings, type Settings } from "../../api/services/settings.ts";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

const settings: Settings = {
  ...defaultSettings,
  segmentMeasure: "REVENUE",
  segmentWindowMonths: 6,
  abcCutoffA: 0.8,
  abcCutoffB: 0.95,
  xyzCutoffX: 0.1,
  xyzCutoffY: 0.25,
  xyzMinimumMonths: 3,
};

/**
 * The hand-computed fixture (window 2026-01 … 2026-06, total of positive values 1600):
 *   P 100 every month          value 600  share .375   cum .375   rank 1  A  CV 0      X
 *   Q 100 120 80 100 120 80    value 600  share .375   cum .75    rank 1  A  CV .1633  Y  (tie with P)
 *   R 0 0 300 0 0 0 (older)    value 300  share .1875  cum .9375  rank 3  A  CV 2.236  Z  (75% before it)
 *   S 50 50 from May           value 100  share .0625  cum 1      rank 4  B  2 months < 3: Z
 *   T nothing                  value 0                            rank 5  C  Z, no sales in window
 *   U 100 then a credit -100   value 0                            rank 5  C  mean 0: Z
 */
const window = segmentWindow(new Date("2026-07-15T10:00:00Z"), 6);
function account(name: string, values: (number | undefined)[], firstSaleMonth: string | null) {
  const byMonth = new Map<string, number>();
  values.forEach((value, index) => {
    if (value !== undefined) byMonth.set(window.months[index] as string, value);
  });
  return { accountId: `id-${name}`, name, firstSaleMonth, byMonth };
}
const fixture = [
  account("U", [100, -100], "2026-01"),
  account("T", [], null),
  account("S", [undefined, undefined, undefined, undefined, 50, 50], "2026-05"),
  account("R", [undefined, undefined, 300], "2025-01"),
  account("Q", [100, 120, 80, 100, 120, 80], "2026-01"),
  account("P", [100, 100, 100, 100, 100, 100], "2024-06"),
];

describe("ABC-XYZ arithmetic", () => {
  const { total, segments } = classify(fixture, window, settings);
  const of = (name: string) => segments.get(`id-${name}`)!;

  it("uses the complete months before the analysis date", () => {
    expect(window).toEqual({
      from: "2026-01",
      to: "2026-06",
      months: ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"],
    });
    expect(segmentWindow(new Date("2026-01-10T00:00:00Z"), 3).months).toEqual([
      "2025-10",
      "2025-11",
      "2025-12",
    ]);
  });

  it("ranks, shares and classes ABC, ties sharing rank and class", () => {
    expect(total).toBe(1600);
    expect(["P", "Q", "R", "S", "T", "U"].map((name) => [name, of(name).rank, of(name).abc])).toEqual([
      ["P", 1, "A"],
      ["Q", 1, "A"],
      ["R", 3, "A"],
      ["S", 4, "B"],
      ["T", 5, "C"],
      ["U", 5, "C"],
    ]);
    expect(of("P").share).toBeCloseTo(0.375, 10);
    expect(of("Q").cumulativeShare).toBeCloseTo(0.75, 10);
    expect(of("R").share).toBeCloseTo(0.1875, 10);
    expect(of("R").cumulativeShare).toBeCloseTo(0.9375, 10);
    expect(of("S").cumulativeShare).toBeCloseTo(1, 10);
    expect(of("U").share).toBe(0);
  });

  it("classes XYZ by the coefficient of variation, zero months included", () => {
    expect(of("P")).toMatchObject({
      xyz: "X",
      monthlyMean: 100,
      standardDeviation: 0,
      coefficientOfVariation: 0,
      activeMonths: 6,
    });
    expect(of("Q").xyz).toBe("Y");
    expect(of("Q").standardDeviation).toBeCloseTo(Math.sqrt(1600 / 6), 10);
    expect(of("Q").coefficientOfVariation).toBeCloseTo(0.163299, 5);
    expect(of("R").xyz).toBe("Z");
    expect(of("R").monthlyMean).toBe(50);
    expect(of("R").coefficientOfVariation).toBeCloseTo(Math.sqrt(12500) / 50, 10);
  });

  it("marks the edge cases instead of dropping them", () => {
    expect(of("S")).toMatchObject({ xyz: "Z", insufficientHistory: true, activeMonths: 2, monthlyMean: 50 });
    expect(of("T")).toMatchObject({ abc: "C", xyz: "Z", value: 0, noSalesInWindow: true, activeMonths: 0 });
    expect(of("U")).toMatchObject({
      abc: "C",
      xyz: "Z",
      value: 0,
      coefficientOfVariation: null,
      noSalesInWindow: false,
    });
  });

  it("puts a coefficient of variation exactly at a cut-off in the lower class", () => {
    const steady = account("V", [110, 90, 110, 90, 110, 90], "2025-01");
    const { segments: alone } = classify([steady], window, settings);
    expect(alone.get("id-V")!.coefficientOfVariation).toBeCloseTo(0.1, 12);
    expect(alone.get("id-V")!.xyz).toBe("X");
  });

  it("builds the nine-cell matrix, empty cells included", () => {
    const cells = segmentMatrix({ segments });
    expect(cells.map((cell) => `${cell.abc}${cell.xyz}:${cell.accountCount}`)).toEqual([
      "AX:1",
      "AY:1",
      "AZ:1",
      "BX:0",
      "BY:0",
      "BZ:1",
      "CX:0",
      "CY:0",
      "CZ:2",
    ]);
    expect(cells.find((cell) => cell.abc === "A" && cell.xyz === "Z")).toMatchObject({
      value: 300,
      share: 0.1875,
    });
  });
});

describe("ABC-XYZ through the API", () => {
  let app: TestApp;
  let token: string;
  const liveWindow = segmentWindow(new Date(), 6);

  beforeAll(async () => {
    app = await createTestApp();
    token = (await app.createUser("ADMIN")).token;
    const updated = await app.gql(
      `mutation { updateSettings(input: { segmentWindowMonths: 6, xyzMinimumMonths: 3 }) { __typename } }`,
      {},
      token,
    );
    expect(updated.data.updateSettings.__typename).toBe("MutationUpdateSettingsSuccess");
    const lines: Record<string, unknown>[] = [];
    for (const entry of fixture) {
      await app.db.prisma.account.create({
        data: {
          id: entry.accountId,
          name: entry.name,
          sortName: entry.name.toLowerCase(),
          externalId: `ERP-${entry.name}`,
        },
      });
      // Same values in the live window; history before it for R and P.
      liveWindow.months.forEach((month, index) => {
        const value = entry.byMonth.get(window.months[index] as string);
        if (value === undefined) return;
        lines.push({
          externalLineId: `${entry.name}-${month}`,
          externalAccountId: `ERP-${entry.name}`,
          invoiceDate: `${month}-10`,
          product: "Goods",
          quantity: 1,
          netAmount: value,
          grossMargin: value / 4,
          currency: "EUR",
        });
      });
      if (entry.firstSaleMonth && entry.firstSaleMonth < "2026-01") {
        const before = `${Number(liveWindow.from.slice(0, 4)) - 1}${liveWindow.from.slice(4)}`;
        lines.push({
          externalLineId: `${entry.name}-history`,
          externalAccountId: `ERP-${entry.name}`,
          invoiceDate: `${before}-05`,
          product: "Goods",
          quantity: 1,
          netAmount: 10,
          grossMargin: 2,
          currency: "EUR",
        });
      }
    }
    const imported = await app.gql(
      `mutation($lines: [SalesLineInput!]!) { importSalesLines(input: { lines: $lines }) { __typename } }`,
      { lines },
      token,
    );
    expect(imported.data.importSalesLines.__typename).toBe("MutationImportSalesLinesSuccess");
  });
  afterAll(() => app.close());

  it("serves the matrix and each account's numbers", async () => {
    const { data, errors } = await app.gql(
      `{ segmentMatrix { window { from to monthCount } measure total accountCount cells { abc xyz accountCount value share } }
         accounts(first: 10) { edges { node { name segment { cell rank value share cumulativeShare coefficientOfVariation activeMonths noSalesInWindow insufficientHistory } } } } }`,
      {},
      token,
    );
    expect(errors).toBeUndefined();
    expect(data.segmentMatrix).toMatchObject({
      window: { from: liveWindow.from, to: liveWindow.to, monthCount: 6 },
      measure: "REVENUE",
      total: 1600,
      accountCount: 6,
    });
    expect(
      data.segmentMatrix.cells
        .filter((cell: any) => cell.accountCount > 0)
        .map((cell: any) => `${cell.abc}${cell.xyz}`),
    ).toEqual(["AX", "AY", "AZ", "BZ", "CZ"]);
    const byName = Object.fromEntries(
      data.accounts.edges.map((edge: any) => [edge.node.name, edge.node.segment]),
    );
    expect(byName.P).toMatchObject({ cell: "AX", rank: 1, value: 600, share: 0.375 });
    expect(byName.Q).toMatchObject({ cell: "AY", rank: 1 });
    expect(byName.R).toMatchObject({ cell: "AZ", rank: 3, activeMonths: 6 });
    expect(byName.S).toMatchObject({ cell: "BZ", insufficientHistory: true, activeMonths: 2 });
    expect(byName.T).toMatchObject({ cell: "CZ", noSalesInWindow: true });
    expect(byName.U).toMatchObject({ cell: "CZ", value: 0, coefficientOfVariation: null });
  });

  it("lists every account's classes in one request, largest first", async () => {
    const { data, errors } = await app.gql(
      `{ all: accountSegments { accountId cell rank } z: accountSegments(xyz: [Z]) { accountId } }`,
      {},
      token,
    );
    expect(errors).toBeUndefined();
    expect(data.all.map((entry: any) => entry.cell)).toEqual(["AX", "AY", "AZ", "BZ", "CZ", "CZ"]);
    expect(data.all[0].accountId).toBe(globalId("Account", "id-P"));
    expect(data.z.map((entry: any) => entry.accountId).sort()).toEqual(
      ["id-R", "id-S", "id-T", "id-U"].map((id) => globalId("Account", id)).sort(),
    );
  });

  it("filters accounts by class", async () => {
    const { data } = await app.gql(
      `{ a: accounts(filter: { abc: [A] }) { totalCount edges { node { name } } }
         cz: accounts(filter: { abc: [C], xyz: [Z] }) { totalCount edges { node { name } } }
         y: accounts(filter: { xyz: [Y] }) { totalCount } }`,
      {},
      token,
    );
    expect(data.a.edges.map((edge: any) => edge.node.name)).toEqual(["P", "Q", "R"]);
    expect(data.a.totalCount).toBe(3);
    expect(data.cz.edges.map((edge: any) => edge.node.name)).toEqual(["T", "U"]);
    expect(data.y.totalCount).toBe(1);
  });

  it("re-classes when the measure changes to gross margin", async () => {
    await app.gql(`mutation { updateSettings(input: { segmentMeasure: MARGIN }) { __typename } }`, {}, token);
    const { data } = await app.gql(`{ segmentMatrix { measure total } }`, {}, token);
    expect(data.segmentMatrix).toEqual({ measure: "MARGIN", total: 400 });
    await app.gql(`mutation { updateSettings(input: { segmentMeasure: null }) { __typename } }`, {}, token);
  });

  it("refuses inconsistent settings and changes nothing", async () => {
    const result = await app.gql(
      `mutation { updateSettings(input: { abcCutoffA: 0.96 }) { __typename ... on ValidationError { issues { path message } } } }`,
      {},
      token,
    );
    expect(result.data.updateSettings).toEqual({
      __typename: "ValidationError",
      issues: [{ path: "input.abcCutoffA", message: "must be below abcCutoffB" }],
    });
    const outOfRange = await app.gql(
      `mutation { updateSettings(input: { segmentWindowMonths: 2, xyzCutoffX: -1 }) { __typename ... on ValidationError { issues { path } } } }`,
      {},
      token,
    );
    expect(outOfRange.data.updateSettings.issues.map((issue: any) => issue.path).sort()).toEqual([
      "input.segmentWindowMonths",
      "input.xyzCutoffX",
    ]);
    const { data } = await app.gql(`{ settings { abcCutoffA segmentWindowMonths xyzCutoffX } }`, {}, token);
    expect(data.settings).toEqual({ abcCutoffA: 0.8, segmentWindowMonths: 6, xyzCutoffX: 0.1 });
  });

  it("tries segment settings without saving them: matrix, lists and each account's segment agree", async () => {
    const trial = "{ abcCutoffA: 0.5 }";
    const audited = () => app.db.prisma.auditEntry.count({ where: { action: "settings.update" } });
    const auditedBefore = await audited();
    const { data, errors } = await app.gql(
      `query($id: ID!) {
        tried: segmentMatrix(settings: ${trial}) { settings { abcCutoffA abcCutoffB segmentWindowMonths } cells { abc xyz accountCount } }
        stored: segmentMatrix { settings { abcCutoffA } cells { abc xyz accountCount } }
        a: accounts(filter: { abc: [A], segmentSettings: ${trial} }) { edges { node { name } } }
        listed: accountSegments(abc: [A], settings: ${trial}) { accountId }
        account(id: $id) { ... on Account { tried: segment(settings: ${trial}) { cell } stored: segment { cell } } }
        margin: segmentMatrix(settings: { segmentMeasure: MARGIN, segmentWindowMonths: 3, xyzMinimumMonths: 2 }) { measure total window { monthCount } settings { segmentWindowMonths } }
        settings { abcCutoffA segmentMeasure }
      }`,
      { id: globalId("Account", "id-R") },
      token,
    );
    expect(errors).toBeUndefined();
    // P and Q tie at 37.5% each: the first is A whatever the cut-off, and Q shares its class; R,
    // with 75% above it, is A under 80% but B under 50%.
    expect(data.tried.settings).toEqual({ abcCutoffA: 0.5, abcCutoffB: 0.95, segmentWindowMonths: 6 });
    expect(data.a.edges.map((edge: any) => edge.node.name)).toEqual(["P", "Q"]);
    expect(data.listed.map((entry: any) => entry.accountId).sort()).toEqual(
      [globalId("Account", "id-P"), globalId("Account", "id-Q")].sort(),
    );
    expect(data.account).toEqual({ tried: { cell: "BZ" }, stored: { cell: "AZ" } });
    const count = (matrix: any, cell: string) =>
      matrix.cells.find((entry: any) => `${entry.abc}${entry.xyz}` === cell).accountCount;
    expect([count(data.tried, "AZ"), count(data.tried, "BZ")]).toEqual([0, 2]);
    expect([count(data.stored, "AZ"), count(data.stored, "BZ")]).toEqual([1, 1]);
    expect(data.stored.settings.abcCutoffA).toBe(0.8);
    expect(data.margin).toEqual({
      measure: "MARGIN",
      total: expect.any(Number),
      window: { monthCount: 3 },
      settings: { segmentWindowMonths: 3 },
    });
    // Nothing was saved.
    expect(data.settings).toEqual({ abcCutoffA: 0.8, segmentMeasure: "REVENUE" });
    expect(await audited()).toBe(auditedBefore);
  });

  it("lets a viewer try segment settings, and refuses inconsistent ones with the argument's path", async () => {
    const viewer = (await app.createUser("VIEWER")).token;
    const tried = await app.gql(
      `{ segmentMatrix(settings: { xyzCutoffX: 0.05 }) { settings { xyzCutoffX } } }`,
      {},
      viewer,
    );
    expect(tried.errors).toBeUndefined();
    expect(tried.data.segmentMatrix.settings.xyzCutoffX).toBe(0.05);
    const cases: [string, string[]][] = [
      ["{ abcCutoffA: 0.96 }", ["settings.abcCutoffA"]],
      ["{ segmentWindowMonths: 2, xyzCutoffX: -1 }", ["settings.segmentWindowMonths", "settings.xyzCutoffX"]],
      ["{ xyzMinimumMonths: 12 }", ["settings.xyzMinimumMonths"]],
    ];
    for (const [settings, paths] of cases) {
      const result = await app.gql(`{ segmentMatrix(settings: ${settings}) { total } }`, {}, viewer);
      expect(result.data, settings).toBeNull();
      const error = result.errors?.[0];
      expect(error?.extensions?.code, settings).toBe("VALIDATION_FAILED");
      for (const path of paths) expect(error?.message, settings).toContain(path);
    }
    const filtered = await app.gql(
      `{ accounts(filter: { abc: [A], segmentSettings: { abcCutoffB: 1.5 } }) { totalCount } }`,
      {},
      viewer,
    );
    expect(filtered.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
    // The path names the argument and the field within it, as the filter was sent.
    expect(filtered.errors?.[0]?.message).toContain("filter.segmentSettings.abcCutoffB:");
  });

  it("gives an account ID filter and a class filter together", async () => {
    const { data } = await app.gql(
      `query($id: ID!) { accounts(filter: { abc: [A], search: "Q" }) { edges { node { id } } } account(id: $id) { ... on Account { segment { cell } } } }`,
      { id: globalId("Account", "id-S") },
      token,
    );
    expect(data.accounts.edges).toEqual([{ node: { id: globalId("Account", "id-Q") } }]);
    expect(data.account.segment.cell).toBe("BZ");
  });

  it("keeps each account's cell month by month and names the moves", async () => {
    const { data, errors } = await app.gql(
      `query($id: ID!) { account(id: $id) { ... on Account { segment { cell } segmentHistory(months: 3) { month cell movedFrom } } } }`,
      { id: globalId("Account", "id-S") },
      token,
    );
    expect(errors).toBeUndefined();
    const months = liveWindow.months.slice(-3);
    // S only bought in the last two months: no sales (CZ), then too little history to be B (CZ), then BZ.
    expect(data.account.segmentHistory).toEqual([
      { month: months[0], cell: "CZ", movedFrom: null },
      { month: months[1], cell: "CZ", movedFrom: null },
      { month: months[2], cell: "BZ", movedFrom: "CZ" },
    ]);
    expect(data.account.segment.cell).toBe("BZ");
  });

  it("ends every account's history with its current cell", async () => {
    const { data } = await app.gql(
      `{ accounts(first: 10) { totalCount edges { node { name segment { cell } segmentHistory(months: 4) { month cell } } } } }`,
      {},
      token,
    );
    // Every account of the fixture is checked, not none: the loop must have something to check.
    expect(data.accounts.totalCount).toBeGreaterThanOrEqual(5);
    expect(data.accounts.edges).toHaveLength(Math.min(10, data.accounts.totalCount));
    for (const { node } of data.accounts.edges) {
      expect(node.segmentHistory).toHaveLength(4);
      expect(node.segmentHistory.at(-1)).toEqual({ month: liveWindow.to, cell: node.segment.cell });
    }
    const bad = await app.gql(
      `{ accounts(first: 1) { edges { node { segmentHistory(months: 40) { month } } } } }`,
      {},
      token,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
  });
});
