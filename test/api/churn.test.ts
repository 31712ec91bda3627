import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assessAccountRisks,
  assessRisk,
  computeChurn,
  droppedMoreThan,
  medianGapDays,
  monthsBefore,
  type RiskSettings,
  revenueWindows,
} from "../../api/services/churn.ts";
import { addMonths, monthKey } from "../../api/services/segments.ts";
import { settleOutcome } from "../../api/services/win-back.ts";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

/**
 * Loss and win-back: the at-risk and lost rules (pure, with hand-computed fixtures), the queries
 * over real sales loaded through importSalesLines (dates relative to today), and the win-back
 * actions with their permissions, validation, versions and audit.
 */

const settings: RiskSettings = {
  atRiskSilenceFloorDays: 90,
  atRiskGapMultiplier: 3,
  atRiskRevenueDropPercent: 30,
  lostAfterMonths: 12,
};
const dayMs = 86_400_000;

/** Midnight UTC of today. */
const today = new Date(Math.floor(Date.now() / dayMs) * dayMs);
const daysAgo = (days: number) => new Date(today.getTime() - days * dayMs);
/** Purchases `every` days apart, `count` of them, the last `lastDaysAgo` days ago. */
const rhythm = (lastDaysAgo: number, every: number, count: number) =>
  Array.from({ length: count }, (_, index) => daysAgo(lastDaysAgo + index * every));
const isoDay = (date: Date) => date.toISOString().slice(0, 10);
/** The 15th of the month `offset` months from the current one. */
const fifteenth = (offset: number) => `${addMonths(monthKey(today), offset)}-15`;

describe("risk rules (pure)", () => {
  it("takes the median of the gaps between distinct purchase days", () => {
    expect(medianGapDays([])).toBeNull();
    expect(medianGapDays([daysAgo(5), daysAgo(5)])).toBeNull();
    // Days 0, 10, 40, 50: gaps 10, 30, 10 → median 10.
    expect(medianGapDays([daysAgo(50), daysAgo(40), daysAgo(10), daysAgo(0)])).toBe(10);
    // Gaps 10 and 30 → median 20; a second invoice on the same day changes nothing.
    expect(
      medianGapDays([daysAgo(40), daysAgo(30), daysAgo(0), new Date(daysAgo(0).getTime() + 3600_000)]),
    ).toBe(20);
  });

  it("silence over the floor but under k × median is not at risk", () => {
    // Every 60 days, last 100 days ago: 100 > 90 but 100 < 3 × 60 = 180.
    const risk = assessRisk("a", rhythm(100, 60, 4), [], settings, today);
    expect(risk).toMatchObject({ status: "ACTIVE_BUYER", silenceDays: 100, medianGapDays: 60, reasons: [] });
  });

  it("silence under the floor but over k × median is not at risk", () => {
    // Every 5 days, last 40 days ago: 40 > 15 but 40 < 90.
    expect(assessRisk("a", rhythm(40, 5, 6), [], settings, today).status).toBe("ACTIVE_BUYER");
  });

  it("silence over both is at risk, with the numbers in the reason", () => {
    const risk = assessRisk("a", rhythm(140, 30, 5), [], settings, today);
    expect(risk.status).toBe("AT_RISK");
    expect(risk.lastPurchaseAt).toEqual(daysAgo(140));
    expect(risk.silenceDays).toBe(140);
    expect(risk.medianGapDays).toBe(30);
    expect(risk.reasons).toHaveLength(1);
    expect(risk.reasons[0]!.kind).toBe("LONG_SILENCE");
    expect(risk.reasons[0]!.text).toContain(
      "no purchase for 140 days; usually every 30 days (median), 3x is 90",
    );
  });

  it("with fewer than two purchase days only the floor applies", () => {
    expect(assessRisk("a", [daysAgo(90)], [], settings, today).status).toBe("ACTIVE_BUYER");
    const risk = assessRisk("a", [daysAgo(91)], [], settings, today);
    expect(risk).toMatchObject({ status: "AT_RISK", silenceDays: 91, medianGapDays: null });
    expect(risk.reasons[0]!.text).toContain("no purchase for 91 days; more than 90 days");
  });

  it("a revenue drop just over the threshold is at risk; exactly at or just under is not", () => {
    const { recent, yearBefore } = revenueWindows(today);
    expect(recent).toEqual([-3, -2, -1].map((offset) => addMonths(monthKey(today), offset)));
    expect(yearBefore).toEqual(recent.map((month) => addMonths(month, -12)));
    const rows = (now: number) => [
      { month: yearBefore[0]!, revenue: 400 },
      { month: yearBefore[2]!, revenue: 600 },
      { month: recent[1]!, revenue: now },
      // Outside both windows: ignored.
      { month: addMonths(monthKey(today), -6), revenue: 99_999 },
    ];
    const recentPurchases = rhythm(10, 20, 5);
    const over = assessRisk("a", recentPurchases, rows(699.99), settings, today);
    expect(over.status).toBe("AT_RISK");
    expect(over.reasons).toEqual([{ kind: "REVENUE_DROP", text: expect.stringContaining("down 30%") }]);
    expect(over.reasons[0]!.text).toContain("is 699.99");
    expect(over.reasons[0]!.text).toContain("from 1000.00");
    expect(over.recentRevenue).toBeCloseTo(699.99, 6);
    expect(over.yearBeforeRevenue).toBe(1000);
    // Shown to 2 decimals; the rule compares the exact drop of 30.001%.
    expect(over.revenueDropPercent).toBe(30);
    expect(assessRisk("a", recentPurchases, rows(700), settings, today)).toMatchObject({
      status: "ACTIVE_BUYER",
      revenueDropPercent: 30,
      reasons: [],
    });
    expect(assessRisk("a", recentPurchases, rows(700.01), settings, today).status).toBe("ACTIVE_BUYER");
    expect(droppedMoreThan(1000, 700, 30)).toBe(false);
    expect(droppedMoreThan(1000, 699.99, 30)).toBe(true);
  });

  it("judges no drop when the year before had no (or negative) revenue", () => {
    const { recent, yearBefore } = revenueWindows(today);
    const risk = assessRisk(
      "a",
      rhythm(10, 20, 5),
      [
        { month: yearBefore[0]!, revenue: -50 },
        { month: recent[0]!, revenue: 0 },
      ],
      settings,
      today,
    );
    expect(risk).toMatchObject({ status: "ACTIVE_BUYER", revenueDropPercent: null, reasons: [] });
  });

  it("is lost after lostAfterMonths months without purchase, which takes precedence", () => {
    const cutoff = monthsBefore(today, 12);
    const lost = assessRisk("a", [cutoff, daysAgo(800)], [], settings, today);
    expect(lost.status).toBe("LOST");
    expect(lost.reasons).toEqual([
      {
        kind: "LONG_SILENCE",
        text: `no purchase for ${lost.silenceDays} days; lost after 12 months without purchase`,
      },
    ]);
    const dayAfter = new Date(cutoff.getTime() + dayMs);
    expect(assessRisk("a", [dayAfter], [], settings, today).status).toBe("AT_RISK");
    expect(assessRisk("a", [dayAfter], [], { ...settings, lostAfterMonths: 6 }, today).status).toBe("LOST");
  });

  it("never bought is neither at risk nor lost", () => {
    expect(assessRisk("a", [], [], settings, today)).toMatchObject({
      status: "NO_PURCHASES",
      lastPurchaseAt: null,
      silenceDays: null,
      medianGapDays: null,
      reasons: [],
    });
  });

  it("shifts months back to the month's last day when needed", () => {
    expect(isoDay(monthsBefore(new Date("2026-03-31T10:00:00Z"), 1))).toBe("2026-02-28");
    expect(isoDay(monthsBefore(new Date("2026-03-15T10:00:00Z"), 12))).toBe("2025-03-15");
    expect(isoDay(monthsBefore(new Date("2026-01-10T00:00:00Z"), 2))).toBe("2025-11-10");
  });

  it("settles outcome and completion date", () => {
    const now = new Date("2026-05-01T00:00:00Z");
    const planned = { outcome: "PLANNED" as const, completedAt: null };
    expect(settleOutcome(planned, { outcome: "WON_BACK" }, now)).toEqual({
      outcome: "WON_BACK",
      completedAt: now,
    });
    const when = new Date("2026-04-01T00:00:00Z");
    expect(settleOutcome(planned, { outcome: "DONE", completedAt: when }, now)).toEqual({
      outcome: "DONE",
      completedAt: when,
    });
    expect(settleOutcome({ outcome: "DONE", completedAt: when }, { outcome: "PLANNED" }, now)).toEqual({
      outcome: "PLANNED",
      completedAt: null,
    });
    expect(() => settleOutcome(planned, { completedAt: when }, now)).toThrow();
  });
});

type User = Awaited<ReturnType<TestApp["createUser"]>>;

let app: TestApp;
let admin: User;
let owner: User;
let outsider: User;
let viewer: User;
let importKey: string;
const accounts: Record<string, { id: string; globalId: string }> = {};

const importMutation = `mutation($lines: [SalesLineInput!]!) {
  importSalesLines(input: { lines: $lines }) {
    __typename
    ... on Error { code message }
    ... on SalesImportRejectedError { problems { line message } }
  }
}`;

let lineCounter = 0;
function line(account: string, invoiceDate: string, netAmount = 100) {
  lineCounter += 1;
  return {
    externalLineId: `CHURN-${lineCounter}`,
    externalAccountId: `ERP-${account}`,
    invoiceDate,
    product: "Flour 25 kg",
    quantity: 1,
    netAmount,
    grossMargin: netAmount / 4,
    currency: "EUR",
  };
}

const riskFields = "status lastPurchaseAt silenceDays medianGapDays revenueDropPercent reasons { kind text }";

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.createUser("ADMIN", "Ada Admin");
  owner = await app.createUser("MANAGER", "Olivia Owner");
  outsider = await app.createUser("MANAGER", "Otto Outsider");
  viewer = await app.createUser("VIEWER", "Vic Viewer");
  importKey = (await app.createKey(["import"])).secret;
  for (const name of ["Silent", "Rhythmic", "Gone", "Never", "Dropper", "Steady", "Archived"]) {
    const account = await app.db.prisma.account.create({
      data: {
        name,
        sortName: name.toLowerCase(),
        externalId: `ERP-${name}`,
        ownerId: owner.id,
      },
    });
    accounts[name] = { id: account.id, globalId: globalId("Account", account.id) };
  }
  const lines = [
    // Every 30 days, silent for 140: at risk.
    ...rhythm(140, 30, 5).map((date) => line("Silent", isoDay(date))),
    // Every 60 days, silent for 100: over the floor, under 3 × 60.
    ...rhythm(100, 60, 4).map((date) => line("Rhythmic", isoDay(date))),
    // Nothing for 400 days: lost.
    line("Gone", isoDay(daysAgo(400))),
    line("Gone", isoDay(daysAgo(430))),
    // 1000 a year before, 650 now (35% down); last purchase on the 15th of last month.
    line("Dropper", fifteenth(-15), 500),
    line("Dropper", fifteenth(-14), 500),
    line("Dropper", fifteenth(-3), 300),
    line("Dropper", fifteenth(-2), 200),
    line("Dropper", fifteenth(-1), 150),
    // 1000 a year before, 700 now: exactly 30%, not more.
    line("Steady", fifteenth(-15), 500),
    line("Steady", fifteenth(-13), 500),
    line("Steady", fifteenth(-3), 300),
    line("Steady", fifteenth(-2), 200),
    line("Steady", fifteenth(-1), 200),
    // Would be lost, but archived accounts are left out.
    line("Archived", isoDay(daysAgo(500))),
  ];
  const response = await app.gql(importMutation, { lines }, importKey);
  expect(response.errors).toBeUndefined();
  expect(response.data.importSalesLines, JSON.stringify(response.data.importSalesLines)).toMatchObject({
    __typename: "MutationImportSalesLinesSuccess",
  });
  await app.db.prisma.account.update({
    where: { id: accounts.Archived!.id },
    data: { archivedAt: new Date() },
  });
});
afterAll(() => app.close());

describe("at-risk and lost accounts", () => {
  it("lists at-risk accounts by name with their reasons", async () => {
    const response = await app.gql(
      `{ atRiskAccounts(first: 10) { totalCount edges { node { name risk { ${riskFields} } } } } }`,
      {},
      viewer.token,
    );
    expect(response.errors).toBeUndefined();
    const { totalCount, edges } = response.data.atRiskAccounts;
    expect(edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(["Dropper", "Silent"]);
    expect(totalCount).toBe(2);
    const [dropper, silent] = edges.map((edge: { node: { risk: unknown } }) => edge.node.risk);
    expect(silent).toMatchObject({
      status: "AT_RISK",
      silenceDays: 140,
      medianGapDays: 30,
      lastPurchaseAt: daysAgo(140).toISOString(),
      reasons: [
        { kind: "LONG_SILENCE", text: expect.stringContaining("usually every 30 days (median), 3x is 90") },
      ],
    });
    expect(dropper.status).toBe("AT_RISK");
    expect(dropper.revenueDropPercent).toBeCloseTo(35, 6);
    expect(dropper.reasons).toEqual([{ kind: "REVENUE_DROP", text: expect.stringContaining("down 35%") }]);
  });

  it("lists lost accounts, archived ones left out, and pages through them", async () => {
    const response = await app.gql(
      `{ lostAccounts(first: 10) { totalCount edges { node { name risk { ${riskFields} } } } } }`,
      {},
      viewer.token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.lostAccounts.totalCount).toBe(1);
    const gone = response.data.lostAccounts.edges[0].node;
    expect(gone.name).toBe("Gone");
    expect(gone.risk).toMatchObject({ status: "LOST", silenceDays: 400, medianGapDays: 30 });
    expect(gone.risk.reasons[0].text).toBe("no purchase for 400 days; lost after 12 months without purchase");

    const first = await app.gql(
      "{ winBackList(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }",
      {},
      viewer.token,
    );
    expect(first.data.winBackList.totalCount).toBe(3);
    expect(first.data.winBackList.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual([
      "Dropper",
      "Gone",
    ]);
    expect(first.data.winBackList.pageInfo.hasNextPage).toBe(true);
    const next = await app.gql(
      "query($after: String) { winBackList(first: 2, after: $after) { edges { node { name } } } }",
      { after: first.data.winBackList.pageInfo.endCursor },
      viewer.token,
    );
    expect(next.data.winBackList.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual([
      "Silent",
    ]);
  });

  it("shows every account's risk; never bought is neither at risk nor lost", async () => {
    const response = await app.gql(
      `{ accounts(first: 20, filter: { includeArchived: true }) { edges { node { name risk { status reasons { kind } } } } } }`,
      {},
      viewer.token,
    );
    expect(response.errors).toBeUndefined();
    const byName = Object.fromEntries(
      response.data.accounts.edges.map((edge: { node: { name: string; risk: unknown } }) => [
        edge.node.name,
        edge.node.risk,
      ]),
    );
    expect(byName.Archived).toBeNull();
    expect(byName.Never).toEqual(expect.objectContaining({ status: "NO_PURCHASES" }));
    expect(byName.Rhythmic).toEqual(expect.objectContaining({ status: "ACTIVE_BUYER" }));
    expect(byName.Steady).toEqual(expect.objectContaining({ status: "ACTIVE_BUYER" }));
    expect(byName.Gone).toEqual(expect.objectContaining({ status: "LOST" }));
  });

  it("gives an account, read on its own, the risk the whole analysis gives it", async () => {
    const context = { ...app, principal: null };
    const whole = await computeChurn(context);
    const ids = [...whole.risks.keys()];
    expect(ids.length).toBeGreaterThan(4);
    const some = await assessAccountRisks(context, ids.slice(0, 3));
    expect([...some.risks.keys()]).toEqual(ids.slice(0, 3));
    const each = await Promise.all(ids.map((id) => assessAccountRisks(context, [id])));
    ids.forEach((id, index) => {
      expect(each[index]?.risks.get(id), id).toEqual(whole.risks.get(id));
    });
  });

  it("reads only the shown accounts' lines for a page's risks", async () => {
    app.statements.length = 0;
    const response = await app.gql(
      "{ accounts(first: 2) { edges { node { name risk { status } } } } }",
      {},
      viewer.token,
    );
    expect(response.errors).toBeUndefined();
    const groupBys = app.statements.filter((sql) => /GROUP BY/i.test(sql) && /invoiceDate/i.test(sql));
    expect(groupBys).toHaveLength(1);
    // Restricted to the page's accounts (SQLite quotes with backticks, PostgreSQL may bind an array).
    expect(groupBys[0]).toMatch(/accountId[`"]?\s+(IN\s*\(|=\s*ANY)/i);
  });

  it("computes the risks in a fixed number of statements, whatever the number of accounts", async () => {
    app.statements.length = 0;
    const response = await app.gql(
      "{ winBackList(first: 10) { edges { node { name risk { status } } } } }",
      {},
      viewer.token,
    );
    expect(response.errors).toBeUndefined();
    const groupBys = app.statements.filter((sql) => /GROUP BY/i.test(sql) && /invoiceDate/i.test(sql));
    expect(groupBys).toHaveLength(1);
    expect(app.statements.length).toBeLessThan(12);
  });

  it("needs an authenticated caller", async () => {
    const response = await app.gql("{ atRiskAccounts(first: 1) { totalCount } }", {}, null);
    expect(response.data?.atRiskAccounts ?? null).toBeNull();
  });
});

const errorFields = `
  ... on Error { code message }
  ... on ValidationError { issues { path message } }
  ... on VersionConflictError { expectedVersion currentVersion }
  ... on NotFoundError { entity }
  ... on InvalidIdError { value expected }`;
const actionFields =
  "id kind description plannedFor assignee { id name } outcome outcomeNote completedAt version account { id }";
const ops = {
  createWinBackAction: `mutation($input: CreateWinBackActionInput!) { createWinBackAction(input: $input) {
    __typename ... on MutationCreateWinBackActionSuccess { data { ${actionFields} } } ${errorFields} } }`,
  updateWinBackAction: `mutation($input: UpdateWinBackActionInput!) { updateWinBackAction(input: $input) {
    __typename ... on MutationUpdateWinBackActionSuccess { data { ${actionFields} } } ${errorFields} } }`,
  removeWinBackAction: `mutation($input: RemoveWinBackActionInput!) { removeWinBackAction(input: $input) {
    __typename ... on MutationRemoveWinBackActionSuccess { data } ${errorFields} } }`,
};

async function call(name: keyof typeof ops, input: Record<string, unknown>, token: string) {
  const response = await app.gql(ops[name], { input }, token);
  expect(response.errors).toBeUndefined();
  return response.data[name];
}

const auditCount = () => app.db.prisma.auditEntry.count();
const actionCount = () => app.db.prisma.winBackAction.count();

describe("win-back actions", () => {
  const planned = () => ({
    accountId: accounts.Gone!.globalId,
    kind: "SPECIAL_OFFER",
    description: "10% off the next order of flour",
    plannedFor: daysAgo(-7).toISOString(),
  });

  it("lets the owner plan, update and remove an action, versioned and audited", async () => {
    const created = await call(
      "createWinBackAction",
      { ...planned(), assigneeId: globalId("User", owner.id) },
      owner.token,
    );
    expect(created.__typename).toBe("MutationCreateWinBackActionSuccess");
    expect(created.data).toMatchObject({
      kind: "SPECIAL_OFFER",
      description: "10% off the next order of flour",
      plannedFor: daysAgo(-7).toISOString(),
      assignee: { id: globalId("User", owner.id), name: "Olivia Owner" },
      outcome: "PLANNED",
      completedAt: null,
      version: 1,
      account: { id: accounts.Gone!.globalId },
    });
    const id = created.data.id as string;
    const dbId = Buffer.from(id, "base64").toString().split(":")[1]!;
    const createEntry = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "winBackAction.create", entityId: dbId },
    });
    expect(createEntry.actorId).toBe(owner.id);

    // It shows on the win-back list under the account.
    const list = await app.gql(
      "{ winBackList(first: 10) { edges { node { name winBackActions(outcomes: [PLANNED]) { id kind } } } } }",
      {},
      viewer.token,
    );
    const gone = list.data.winBackList.edges.find(
      (edge: { node: { name: string } }) => edge.node.name === "Gone",
    );
    expect(gone.node.winBackActions).toEqual([{ id, kind: "SPECIAL_OFFER" }]);

    const won = await call(
      "updateWinBackAction",
      { id, version: 1, outcome: "WON_BACK", outcomeNote: "Ordered again", assigneeId: null },
      owner.token,
    );
    expect(won.data).toMatchObject({
      outcome: "WON_BACK",
      outcomeNote: "Ordered again",
      assignee: null,
      version: 2,
    });
    expect(Date.now() - new Date(won.data.completedAt).getTime()).toBeLessThan(60_000);
    const updateEntry = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "winBackAction.update", entityId: dbId },
    });
    expect(updateEntry.before).toMatchObject({ outcome: "PLANNED", version: 1 });
    expect(updateEntry.after).toMatchObject({ outcome: "WON_BACK", version: 2 });

    // A stale version is a conflict and changes nothing.
    const stale = await call("updateWinBackAction", { id, version: 1, outcome: "DECLINED" }, owner.token);
    expect(stale).toMatchObject({ code: "VERSION_CONFLICT", expectedVersion: 1, currentVersion: 2 });

    const replanned = await call("updateWinBackAction", { id, version: 2, outcome: "PLANNED" }, owner.token);
    expect(replanned.data).toMatchObject({ outcome: "PLANNED", completedAt: null, version: 3 });

    const staleRemove = await call("removeWinBackAction", { id, version: 2 }, owner.token);
    expect(staleRemove).toMatchObject({ code: "VERSION_CONFLICT", currentVersion: 3 });
    const removed = await call("removeWinBackAction", { id, version: 3 }, owner.token);
    expect(removed).toMatchObject({ __typename: "MutationRemoveWinBackActionSuccess", data: true });
    expect(await app.db.prisma.winBackAction.findUnique({ where: { id: dbId } })).toBeNull();
    const removeEntry = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "winBackAction.remove", entityId: dbId },
    });
    expect(removeEntry.before).toMatchObject({ outcome: "PLANNED" });
  });

  it("refuses viewers and managers of other accounts, changing nothing", async () => {
    const action = (await call("createWinBackAction", { ...planned(), kind: "MEETING" }, admin.token)).data;
    const [actions, audits] = [await actionCount(), await auditCount()];
    for (const token of [viewer.token, outsider.token]) {
      expect(await call("createWinBackAction", planned(), token)).toMatchObject({ code: "FORBIDDEN" });
      expect(
        await call("updateWinBackAction", { id: action.id, version: 1, outcome: "DONE" }, token),
      ).toMatchObject({
        code: "FORBIDDEN",
      });
      expect(await call("removeWinBackAction", { id: action.id, version: 1 }, token)).toMatchObject({
        code: "FORBIDDEN",
      });
    }
    expect(await actionCount()).toBe(actions);
    expect(await auditCount()).toBe(audits);
    const stored = await app.db.prisma.winBackAction.findFirstOrThrow({ where: { kind: "MEETING" } });
    expect(stored).toMatchObject({ outcome: "PLANNED", version: 1 });
    // Archived accounts take no new actions.
    expect(
      await call(
        "createWinBackAction",
        { ...planned(), accountId: accounts.Archived!.globalId },
        admin.token,
      ),
    ).toMatchObject({ code: "ACCOUNT_ARCHIVED" });
  });

  it("validates the input", async () => {
    const [actions, audits] = [await actionCount(), await auditCount()];
    expect(
      await call("createWinBackAction", { ...planned(), description: "x".repeat(2001) }, owner.token),
    ).toMatchObject({
      code: "VALIDATION_FAILED",
      issues: [{ path: "input.description", message: "must be at most 2000 characters" }],
    });
    expect(
      await call(
        "createWinBackAction",
        { ...planned(), assigneeId: globalId("User", viewer.id) },
        owner.token,
      ),
    ).toMatchObject({ code: "VALIDATION_FAILED", issues: [{ path: "input.assigneeId" }] });
    expect(
      await call(
        "createWinBackAction",
        { ...planned(), assigneeId: globalId("User", "nobody") },
        owner.token,
      ),
    ).toMatchObject({ code: "NOT_FOUND", entity: "User" });
    expect(
      await call("createWinBackAction", { ...planned(), accountId: globalId("User", owner.id) }, owner.token),
    ).toMatchObject({ code: "INVALID_ID", expected: "Account" });
    expect(
      await call(
        "createWinBackAction",
        { ...planned(), accountId: globalId("Account", "nope") },
        owner.token,
      ),
    ).toMatchObject({ code: "NOT_FOUND", entity: "Account" });
    expect(await actionCount()).toBe(actions);

    const action = (await call("createWinBackAction", { ...planned(), kind: "GIFT" }, owner.token)).data;
    const future = daysAgo(-3).toISOString();
    expect(
      await call(
        "updateWinBackAction",
        { id: action.id, version: 1, outcome: "DONE", completedAt: future },
        owner.token,
      ),
    ).toMatchObject({
      code: "VALIDATION_FAILED",
      issues: [{ path: "input.completedAt", message: "cannot be in the future" }],
    });
    expect(
      await call(
        "updateWinBackAction",
        { id: action.id, version: 1, completedAt: daysAgo(1).toISOString() },
        owner.token,
      ),
    ).toMatchObject({ code: "VALIDATION_FAILED", issues: [{ path: "input.completedAt" }] });
    expect(
      await call("updateWinBackAction", { id: action.id, version: 1, kind: null }, owner.token),
    ).toMatchObject({
      code: "VALIDATION_FAILED",
      issues: [{ path: "input.kind", message: "cannot be cleared" }],
    });
    expect(
      await call(
        "updateWinBackAction",
        { id: globalId("WinBackAction", "nope"), version: 1, outcome: "DONE" },
        owner.token,
      ),
    ).toMatchObject({ code: "NOT_FOUND", entity: "WinBackAction" });
    const done = await call(
      "updateWinBackAction",
      { id: action.id, version: 1, outcome: "NO_RESPONSE", completedAt: daysAgo(1).toISOString() },
      owner.token,
    );
    expect(done.data).toMatchObject({
      outcome: "NO_RESPONSE",
      completedAt: daysAgo(1).toISOString(),
      version: 2,
    });
    expect(await auditCount()).toBe(audits + 2);
  });
});
