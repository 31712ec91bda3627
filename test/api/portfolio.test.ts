import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgetRemembered } from "../../api/db/since-last-write.ts";
import { classifyClientTypes, computeClientTypes } from "../../api/services/client-types.ts";
import {
  accountGrowth,
  changePercent,
  computeGrowth,
  concentration,
  growthPeriods,
  keyAccountVerdict,
  shareOfTop,
  workload,
} from "../../api/services/portfolio.ts";
import { addMonths, monthKey, segmentWindow } from "../../api/services/segments.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

describe("portfolio arithmetic", () => {
  const window = segmentWindow(new Date("2026-07-15T10:00:00Z"), 12);
  const old = new Date("2020-01-01T00:00:00Z");
  const fact = (accountId: string, windowMargin: number, extra: Record<string, unknown> = {}) => ({
    accountId,
    createdAt: old,
    hasBudget: null,
    isImageMaker: false,
    isExpert: false,
    hasSales: true,
    windowMargin,
    ...extra,
  });

  it("makes an account with exactly 10% of gross margin a breadwinner, and not one just below", () => {
    // Total of positive margins: 700 + 100 + 99.9 + 100.1 = 1000; the negative one adds nothing.
    const { totalMargin, byAccount } = classifyClientTypes(
      [fact("a", 700), fact("ten", 100), fact("below", 99.9), fact("above", 100.1), fact("credit", -50)],
      window,
    );
    expect(totalMargin).toBeCloseTo(1000, 10);
    expect(byAccount.get("ten")).toEqual([
      { type: "BREADWINNER", reason: "brings 10.0% of gross margin over 2025-07 … 2026-06" },
    ]);
    expect(byAccount.get("below")).toEqual([]);
    expect(byAccount.get("above")![0]!.type).toBe("BREADWINNER");
    expect(byAccount.get("credit")).toEqual([]);
  });

  it("finds prospects: no sales yet, or young with a budget", () => {
    const young = new Date("2025-07-01T00:00:00Z");
    const { byAccount } = classifyClientTypes(
      [
        fact("big", 100),
        fact("never", 0, { hasSales: false }),
        fact("young-budget", 0, { createdAt: young, hasBudget: true }),
        fact("young-no-budget", 0, { createdAt: young, hasBudget: false }),
        fact("old-budget", 0, { createdAt: new Date("2025-06-30T23:59:59Z"), hasBudget: true }),
        fact("both", 0, {
          createdAt: young,
          hasBudget: true,
          hasSales: false,
          isImageMaker: true,
          isExpert: true,
        }),
      ],
      window,
    );
    expect(byAccount.get("never")).toEqual([{ type: "PROSPECT", reason: "no sales yet" }]);
    expect(byAccount.get("young-budget")).toEqual([
      { type: "PROSPECT", reason: "new: created 2025-07-01, within 2025-07 … 2026-06, with a budget" },
    ]);
    expect(byAccount.get("young-no-budget")).toEqual([]);
    expect(byAccount.get("old-budget")).toEqual([]);
    expect(byAccount.get("both")).toEqual([
      {
        type: "PROSPECT",
        reason: "no sales yet; new: created 2025-07-01, within 2025-07 … 2026-06, with a budget",
      },
      { type: "IMAGE_MAKER", reason: "set by people" },
      { type: "EXPERT", reason: "set by people" },
    ]);
  });

  it("compares growth periods and gives null on a zero base", () => {
    const periods = growthPeriods(new Date("2026-07-15T10:00:00Z"));
    expect(periods).toEqual({
      last12: { from: "2025-07", to: "2026-06" },
      previous12: { from: "2024-07", to: "2025-06" },
      last3: { from: "2026-04", to: "2026-06" },
      previous3: { from: "2025-04", to: "2025-06" },
    });
    const row = (month: string, revenue: number, margin: number) => ({
      accountId: "a",
      month,
      revenue,
      margin,
    });
    const growth = accountGrowth(
      [
        row("2024-07", 300, 60),
        row("2025-05", 100, 0),
        row("2025-07", 150, 30),
        row("2026-05", 90, 45),
        row("2026-07", 999, 999),
      ],
      periods,
    );
    // 12 months: revenue 240 vs 400 → −40%; margin 75 vs 60 → +25%.
    expect(growth.twelveMonths.current).toEqual({ from: "2025-07", to: "2026-06", revenue: 240, margin: 75 });
    expect(growth.twelveMonths.revenueChangePercent).toBeCloseTo(-40, 10);
    expect(growth.twelveMonths.marginChangePercent).toBeCloseTo(25, 10);
    // 3 months: revenue 90 vs 100 → −10%; margin 45 vs 0 → null.
    expect(growth.threeMonths.revenueChangePercent).toBeCloseTo(-10, 10);
    expect(growth.threeMonths.marginChangePercent).toBeNull();
    expect(changePercent(50, -100)).toBeCloseTo(150, 10);
  });

  it("draws the Pareto curve and reads the top 20% off it", () => {
    // Revenue 500, 250, 150, 60, 40 (total 1000); no sales and a net credit stay off the curve.
    const accounts = [
      { accountId: "e", name: "E", isKeyAccount: false, revenue: 40 },
      { accountId: "a", name: "A", isKeyAccount: true, revenue: 500 },
      { accountId: "c", name: "C", isKeyAccount: false, revenue: 150 },
      { accountId: "z", name: "Z", isKeyAccount: true, revenue: 0 },
      { accountId: "b", name: "B", isKeyAccount: false, revenue: 250 },
      { accountId: "n", name: "N", isKeyAccount: false, revenue: -20 },
      { accountId: "d", name: "D", isKeyAccount: false, revenue: 60 },
    ];
    const result = concentration(accounts, window);
    expect(result.totalRevenue).toBe(1000);
    expect(
      result.points.map((p) => [p.rank, p.accountId, p.cumulativeAccountShare, p.cumulativeRevenueShare]),
    ).toEqual([
      [1, "a", 0.2, 0.5],
      [2, "b", 0.4, 0.75],
      [3, "c", 0.6, 0.9],
      [4, "d", 0.8, 0.96],
      [5, "e", 1, 1],
    ]);
    expect(result.topShare).toBeCloseTo(0.5, 10);
    expect(result.keyAccountShare).toBeCloseTo(0.5, 10);
    expect(result).toMatchObject({ alert: null, note: null });
    // Six accounts: 20% is 1.2 accounts, so the first and a fifth of the second.
    expect(
      shareOfTop(
        [
          { cumulativeRevenueShare: 0.5 },
          { cumulativeRevenueShare: 0.7 },
          ...Array(4).fill({ cumulativeRevenueShare: 1 }),
        ],
        0.2,
      ),
    ).toBeCloseTo(0.54, 10);
    expect(shareOfTop([], 0.2)).toBe(0);
  });

  it("alerts above 75% of revenue in key accounts and notes below 30%", () => {
    expect(keyAccountVerdict(0.76, 100)).toEqual({
      alert: "MONO_DEPENDENCY",
      note: "Key accounts make 76.0% of revenue, above 75%: mono-dependency on a few clients.",
    });
    expect(keyAccountVerdict(0.75, 100)).toEqual({ alert: null, note: null });
    expect(keyAccountVerdict(0.3, 100)).toEqual({ alert: null, note: null });
    expect(keyAccountVerdict(0.29, 100)).toEqual({
      alert: null,
      note: "Key accounts make 29.0% of revenue; they usually make 30-55%.",
    });
  });

  it("lists managers and key-account owners against the cap", () => {
    const user = (id: string, role: "ADMIN" | "MANAGER" | "VIEWER", deactivatedAt: Date | null = null) => ({
      id,
      name: id,
      role,
      deactivatedAt,
    });
    const loads = workload(
      [
        user("m1", "MANAGER"),
        user("m2", "MANAGER"),
        user("admin", "ADMIN"),
        user("idle-admin", "ADMIN"),
        user("gone", "MANAGER", old),
      ],
      [
        { ownerId: "m1", isKeyAccount: true, count: 3 },
        { ownerId: "m1", isKeyAccount: false, count: 4 },
        { ownerId: "admin", isKeyAccount: true, count: 1 },
        { ownerId: "idle-admin", isKeyAccount: false, count: 2 },
      ],
      2,
    );
    expect(
      loads.map((load) => [load.manager.id, load.keyAccountCount, load.accountCount, load.overCap]),
    ).toEqual([
      ["m1", 3, 7, true],
      ["admin", 1, 1, false],
      ["m2", 0, 0, false],
    ]);
    expect(loads[0]!.warning).toBe("m1 carries 3 key accounts, above the cap of 2: hand some over.");
    expect(loads[1]!.warning).toBeNull();
  });
});

/**
 * The fixture through the API (window: the 12 complete months before today, W0 … W11; P0 … P11 the
 * 12 before them). Revenue / margin:
 *   Alpha   W0 1000/250, W11 1000/250, P0 1600/500, P11 800/200   owner Maria
 *   Delta   W3 1240/310, expert                                    owner Maria
 *   Bravo   W5 400/100 (exactly 10% of margin), key                owner Ada (admin)
 *   Charlie W6 360/90 (9%), image-maker, key                       owner Nina
 *   Echo    no sales ever, key                                     owner Maria
 *   Foxtrot young, budget, a sale this month only, key             owner Maria
 *   Golf    young, no budget, a sale this month only, key          owner Maria
 *   Hotel   young, budget, no sales, no owner
 * Window margin 1000: Alpha 50%, Delta 31%, Bravo 10% are breadwinners. Window revenue 4000.
 */
describe("portfolio through the API", () => {
  let app: TestApp;
  let token: string;
  const window = segmentWindow(new Date(), 12);
  const W = window.months;
  const P = W.map((month) => addMonths(month, -12));
  const thisMonth = monthKey(new Date());
  const span = `${window.from} … ${window.to}`;
  const ids: Record<string, string> = {};
  const young = new Date(Date.now() - 5 * 24 * 3600 * 1000);
  const users: Record<string, string> = {};

  beforeAll(async () => {
    app = await createTestApp();
    const admin = await app.createUser("ADMIN", "Ada Admin");
    token = admin.token;
    users.ada = admin.id;
    users.maria = (await app.createUser("MANAGER", "Maria Manager")).id;
    users.nina = (await app.createUser("MANAGER", "Nina Manager")).id;
    users.otto = (await app.createUser("MANAGER", "Otto Manager")).id;
    await app.createUser("VIEWER", "Vera Viewer");
    await app.createUser("ADMIN", "Zed Admin");

    const old = new Date("2020-01-01T00:00:00Z");
    const accounts: [string, Record<string, unknown>][] = [
      ["Alpha", { createdAt: old, ownerId: users.maria }],
      ["Delta", { createdAt: old, ownerId: users.maria, isExpert: true }],
      ["Bravo", { createdAt: old, ownerId: users.ada, isKeyAccount: true }],
      ["Charlie", { createdAt: old, ownerId: users.nina, isKeyAccount: true, isImageMaker: true }],
      ["Echo", { createdAt: old, ownerId: users.maria, isKeyAccount: true }],
      ["Foxtrot", { createdAt: young, ownerId: users.maria, isKeyAccount: true, hasBudget: true }],
      ["Golf", { createdAt: young, ownerId: users.maria, isKeyAccount: true, hasBudget: false }],
      ["Hotel", { createdAt: young, hasBudget: true }],
    ];
    for (const [name, data] of accounts) {
      const account = await app.db.prisma.account.create({
        data: { name, sortName: name.toLowerCase(), externalId: `ERP-${name}`, ...data },
      });
      ids[name] = account.id;
    }
    const sales: [string, string, number, number][] = [
      ["Alpha", W[0]!, 1000, 250],
      ["Alpha", W[11]!, 1000, 250],
      ["Alpha", P[0]!, 1600, 500],
      ["Alpha", P[11]!, 800, 200],
      ["Delta", W[3]!, 1240, 310],
      ["Bravo", W[5]!, 400, 100],
      ["Charlie", W[6]!, 360, 90],
      ["Foxtrot", thisMonth, 70, 20],
      ["Golf", thisMonth, 80, 20],
    ];
    const lines = sales.map(([name, month, netAmount, grossMargin]) => ({
      externalLineId: `${name}-${month}`,
      externalAccountId: `ERP-${name}`,
      invoiceDate: `${month}-01`,
      product: "Goods",
      quantity: 1,
      netAmount,
      grossMargin,
      currency: "EUR",
    }));
    const imported = await app.gql(
      `mutation($lines: [SalesLineInput!]!) { importSalesLines(input: { lines: $lines }) { __typename } }`,
      { lines },
      token,
    );
    expect(imported.data.importSalesLines.__typename).toBe("MutationImportSalesLinesSuccess");
  });
  afterAll(() => app.close());

  async function accountsByName(fields: string) {
    const { data, errors } = await app.gql(
      `{ accounts(first: 20) { edges { node { name ${fields} } } } }`,
      {},
      token,
    );
    expect(errors).toBeUndefined();
    return Object.fromEntries(data.accounts.edges.map((edge: any) => [edge.node.name, edge.node]));
  }

  it("gives each account its client types with reasons", async () => {
    const byName = await accountsByName("clientTypes { type reason }");
    const types = (name: string) => byName[name].clientTypes;
    expect(types("Alpha")).toEqual([
      { type: "BREADWINNER", reason: `brings 50.0% of gross margin over ${span}` },
    ]);
    expect(types("Delta")).toEqual([
      { type: "BREADWINNER", reason: `brings 31.0% of gross margin over ${span}` },
      { type: "EXPERT", reason: "set by people" },
    ]);
    expect(types("Bravo")).toEqual([
      { type: "BREADWINNER", reason: `brings 10.0% of gross margin over ${span}` },
    ]);
    expect(types("Charlie")).toEqual([{ type: "IMAGE_MAKER", reason: "set by people" }]);
    expect(types("Echo")).toEqual([{ type: "PROSPECT", reason: "no sales yet" }]);
    const created = young.toISOString().slice(0, 10);
    expect(types("Foxtrot")).toEqual([
      { type: "PROSPECT", reason: `new: created ${created}, within ${span}, with a budget` },
    ]);
    expect(types("Golf")).toEqual([]);
    expect(types("Hotel")).toEqual([
      { type: "PROSPECT", reason: `no sales yet; new: created ${created}, within ${span}, with a budget` },
    ]);
  });

  it("gives an account, read on its own, the client types the whole portfolio's reading gives it", async () => {
    const context = { ...app, principal: null };
    const whole = await computeClientTypes(context);
    const ids = [...whole.byAccount.keys()];
    expect(ids.length).toBeGreaterThan(2);
    expect(
      [...whole.byAccount.values()].some((types) => types.some((type) => type.type === "BREADWINNER")),
    ).toBe(true);
    for (const id of ids) {
      const alone = await computeClientTypes(context, [id]);
      expect([...alone.byAccount.keys()], id).toEqual([id]);
      expect(alone.byAccount.get(id), id).toEqual(whole.byAccount.get(id));
      expect(alone.totalMargin, id).toBeCloseTo(whole.totalMargin, 6);
    }
  });

  it("gives an account, read on its own, the growth the whole portfolio's reading gives it", async () => {
    const context = { ...app, principal: null };
    const whole = await computeGrowth(context);
    const ids = [...whole.byAccount.keys()];
    expect(ids.length).toBeGreaterThan(2);
    for (const id of ids) {
      const alone = await computeGrowth(context, [id]);
      expect([...alone.byAccount.keys()], id).toEqual([id]);
      expect(alone.byAccount.get(id), id).toEqual(whole.byAccount.get(id));
    }
  });

  it("gives each account its growth, null changes on a zero base", async () => {
    const byName = await accountsByName(
      `growth { twelveMonths { current { from to revenue margin } previous { from to revenue margin } revenueChangePercent marginChangePercent }
                threeMonths { current { from to revenue margin } previous { from to revenue margin } revenueChangePercent marginChangePercent } }`,
    );
    const alpha = byName.Alpha.growth;
    expect(alpha.twelveMonths.current).toEqual({ from: W[0], to: W[11], revenue: 2000, margin: 500 });
    expect(alpha.twelveMonths.previous).toEqual({ from: P[0], to: P[11], revenue: 2400, margin: 700 });
    expect(alpha.twelveMonths.revenueChangePercent).toBe(-16.67); // (2000 − 2400) / 2400, 2 decimals
    expect(alpha.twelveMonths.marginChangePercent).toBe(-28.57); // (500 − 700) / 700
    expect(alpha.threeMonths.current).toEqual({ from: W[9], to: W[11], revenue: 1000, margin: 250 });
    expect(alpha.threeMonths.previous).toEqual({ from: P[9], to: P[11], revenue: 800, margin: 200 });
    expect(alpha.threeMonths.revenueChangePercent).toBeCloseTo(25, 10);
    expect(alpha.threeMonths.marginChangePercent).toBeCloseTo(25, 10);

    const bravo = byName.Bravo.growth;
    expect(bravo.twelveMonths).toMatchObject({
      current: { revenue: 400, margin: 100 },
      previous: { revenue: 0, margin: 0 },
      revenueChangePercent: null,
      marginChangePercent: null,
    });
    expect(bravo.threeMonths).toMatchObject({ current: { revenue: 0 }, revenueChangePercent: null });
    expect(byName.Echo.growth.twelveMonths).toMatchObject({
      current: { revenue: 0, margin: 0 },
      revenueChangePercent: null,
    });
  });

  it("costs the same number of statements for a page of 2 accounts as for 8", async () => {
    const fields = "clientTypes { type } growth { twelveMonths { revenueChangePercent } }";
    const count = async (first: number) => {
      // Computed afresh each time, not remembered from the request before.
      forgetRemembered(app.db);
      app.statements.length = 0;
      const { data, errors } = await app.gql(
        `{ accounts(first: ${first}) { edges { node { name ${fields} } } } }`,
        {},
        token,
      );
      expect(errors).toBeUndefined();
      expect(data.accounts.edges).toHaveLength(first);
      return app.statements.length;
    };
    expect(await count(8)).toBe(await count(2));
  });

  const concentrationQuery = `{ concentration { window { from to monthCount } totalRevenue accountCount
      points { rank account { name } revenue cumulativeAccountShare cumulativeRevenueShare }
      topShare keyAccountRevenue keyAccountShare alert note } }`;

  it("draws the Pareto curve and notes key accounts below 30%", async () => {
    const { data, errors } = await app.gql(concentrationQuery, {}, token);
    expect(errors).toBeUndefined();
    const result = data.concentration;
    expect(result.window).toEqual({ from: window.from, to: window.to, monthCount: 12 });
    expect(result.totalRevenue).toBe(4000);
    expect(result.accountCount).toBe(4);
    expect(result.points).toEqual([
      {
        rank: 1,
        account: { name: "Alpha" },
        revenue: 2000,
        cumulativeAccountShare: 0.25,
        cumulativeRevenueShare: 0.5,
      },
      {
        rank: 2,
        account: { name: "Delta" },
        revenue: 1240,
        cumulativeAccountShare: 0.5,
        cumulativeRevenueShare: 0.81,
      },
      {
        rank: 3,
        account: { name: "Bravo" },
        revenue: 400,
        cumulativeAccountShare: 0.75,
        cumulativeRevenueShare: 0.91,
      },
      {
        rank: 4,
        account: { name: "Charlie" },
        revenue: 360,
        cumulativeAccountShare: 1,
        cumulativeRevenueShare: 1,
      },
    ]);
    // 20% of 4 accounts is 0.8 of Alpha: 0.8 × 50%.
    expect(result.topShare).toBeCloseTo(0.4, 10);
    // Bravo and Charlie: 760 / 4000.
    expect(result.keyAccountRevenue).toBe(760);
    expect(result.keyAccountShare).toBeCloseTo(0.19, 10);
    expect(result.alert).toBeNull();
    expect(result.note).toBe("Key accounts make 19.0% of revenue; they usually make 30-55%.");
  });

  it("lists each manager's workload, one over the cap", async () => {
    const updated = await app.gql(
      `mutation { updateSettings(input: { keyAccountCap: 2 }) { __typename } }`,
      {},
      token,
    );
    expect(updated.data.updateSettings.__typename).toBe("MutationUpdateSettingsSuccess");
    const { data, errors } = await app.gql(
      `{ workload { manager { name role } keyAccountCount accountCount cap overCap warning } }`,
      {},
      token,
    );
    expect(errors).toBeUndefined();
    expect(data.workload).toEqual([
      {
        manager: { name: "Maria Manager", role: "MANAGER" },
        keyAccountCount: 3,
        accountCount: 5,
        cap: 2,
        overCap: true,
        warning: "Maria Manager carries 3 key accounts, above the cap of 2: hand some over.",
      },
      {
        manager: { name: "Ada Admin", role: "ADMIN" },
        keyAccountCount: 1,
        accountCount: 1,
        cap: 2,
        overCap: false,
        warning: null,
      },
      {
        manager: { name: "Nina Manager", role: "MANAGER" },
        keyAccountCount: 1,
        accountCount: 1,
        cap: 2,
        overCap: false,
        warning: null,
      },
      {
        manager: { name: "Otto Manager", role: "MANAGER" },
        keyAccountCount: 0,
        accountCount: 0,
        cap: 2,
        overCap: false,
        warning: null,
      },
    ]);
    const defaultCap = await app.gql(
      `mutation { updateSettings(input: { keyAccountCap: null }) { __typename } }`,
      {},
      token,
    );
    expect(defaultCap.data.updateSettings.__typename).toBe("MutationUpdateSettingsSuccess");
    const { data: after } = await app.gql(`{ workload { cap overCap } }`, {}, token);
    expect(after.workload.every((load: any) => load.cap === 9 && !load.overCap)).toBe(true);
  });

  it("raises the mono-dependency alert above 75% of revenue in key accounts", async () => {
    await app.db.prisma.account.update({ where: { id: ids.Alpha! }, data: { isKeyAccount: true } });
    const middle = await app.gql(`{ concentration { keyAccountShare alert note } }`, {}, token);
    // Alpha, Bravo, Charlie: 2760 / 4000, inside the usual range's neighbourhood: no alert, no note.
    expect(middle.data.concentration.keyAccountShare).toBeCloseTo(0.69, 10);
    expect(middle.data.concentration).toMatchObject({ alert: null, note: null });

    await app.db.prisma.account.update({ where: { id: ids.Delta! }, data: { isKeyAccount: true } });
    await app.db.prisma.account.update({ where: { id: ids.Bravo! }, data: { isKeyAccount: false } });
    const { data } = await app.gql(`{ concentration { keyAccountShare alert note } }`, {}, token);
    // Alpha, Delta, Charlie: 3600 / 4000.
    expect(data.concentration.keyAccountShare).toBeCloseTo(0.9, 10);
    expect(data.concentration.alert).toBe("MONO_DEPENDENCY");
    expect(data.concentration.note).toBe(
      "Key accounts make 90.0% of revenue, above 75%: mono-dependency on a few clients.",
    );
  });

  it("needs the right to read accounts", async () => {
    const key = await app.createKey(["import"]);
    const { data, errors } = await app.gql(`{ workload { cap } }`, {}, key.secret);
    expect(data?.workload ?? null).toBeNull();
    expect(errors?.[0]?.message).toBe("This API key lacks the scope for this.");
  });
});
