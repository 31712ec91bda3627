import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

/*
 * Fixture: criteria profit (weight 3), fit (1), geo (1); total weight 5; minCompleteness 0.6.
 * score = (Σ(w·s)/Σw_scored − 1) / 9 × 100, rounded to 2 decimals.
 *   Alpha   profit 10, fit 10, geo 10        → 100,   completeness 1
 *   Bravo   profit 7, fit 4                  → (25/4 − 1)/9·100 = 58.33, completeness 0.8
 *   Charlie profit 7, fit 4                  → 58.33 (tie with Bravo)
 *   Delta   geo 9                            → 88.89, completeness 0.2 (not eligible)
 *   Echo    nothing                          → no score, no rank
 *   Foxtrot profit 10, fit 1, geo 1 (LOST)   → (32/5 − 1)/9·100 = 60, not eligible
 * Ranks: Alpha 1, Delta 2, Foxtrot 3, Bravo 4, Charlie 4. Percentiles (share scoring lower):
 * Bravo/Charlie 0, Foxtrot 50, Delta 75, Alpha 100.
 */

let app: TestApp;
let admin: Awaited<ReturnType<TestApp["createUser"]>>;
let manager: Awaited<ReturnType<TestApp["createUser"]>>;
let outsider: Awaited<ReturnType<TestApp["createUser"]>>;
let viewer: Awaited<ReturnType<TestApp["createUser"]>>;
const ids: Record<string, string> = {};
let setId: string;
let setVersion: number;

const createSet = `mutation($input: CreateCriteriaSetInput!) {
  createCriteriaSet(input: $input) {
    __typename
    ... on MutationCreateCriteriaSetSuccess { data { id version isActive criteria { weight weightShare criterion { key label rubric { from to text } } } } }
    ... on ValidationError { code issues { path message } }
    ... on Error { code message }
  }
}`;
const updateSet = `mutation($input: UpdateCriteriaSetInput!) {
  updateCriteriaSet(input: $input) {
    __typename
    ... on MutationUpdateCriteriaSetSuccess { data { id version isActive keyAccountRule keyAccountThreshold criteria { weight criterion { key } } } }
    ... on ValidationError { code issues { path message } }
    ... on Error { code message }
  }
}`;
const setScores = `mutation($input: SetScoresInput!) {
  setScores(input: $input) {
    __typename
    ... on MutationSetScoresSuccess { data { changed scores { value evidence criterion { key } } } }
    ... on ValidationError { code issues { path message } }
    ... on VersionConflictError { path }
    ... on Error { code message }
  }
}`;
const setScore = `mutation($input: ScoreInput!) {
  setScore(input: $input) {
    __typename
    ... on MutationSetScoreSuccess { data { changed scores { value evidence evidenceUrl author criterion { key } } } }
    ... on ValidationError { code issues { path message } }
    ... on Error { code message }
  }
}`;
const matrix = `query($set: ID, $first: Int, $after: String, $orderBy: ScoreMatrixOrder, $filter: AccountFilter, $asOf: DateTime) {
  scoreMatrix(criteriaSetId: $set, first: $first, after: $after, orderBy: $orderBy, filter: $filter, asOf: $asOf) {
    ... on QueryScoreMatrixSuccess { data {
      totalCount keyThreshold
      columns { weight criterion { key } }
      pageInfo { hasNextPage endCursor }
      edges { node { accountName score completeness rank percentile wouldBeKey cells { value criterion { key } } } }
    } }
    ... on Error { code message }
  }
}`;
const accountScore = `query($id: ID!, $set: ID, $asOf: DateTime) {
  account(id: $id) { ... on Account { name score(criteriaSetId: $set, asOf: $asOf) {
    score completeness rank percentile previousScore trend wouldBeKey
    cells { value evidence scoredAt criterion { key } }
    explanation {
      keyThreshold wouldBeKey liftedScore blockedBecause
      contributions { value points weightShare criterion { key } }
      liftToKey { from to criterion { key } }
      missingForCompleteness { key }
      heldBackBy { value shortfall criterion { key } }
    }
  } } }
}`;

interface MatrixCell {
  value: number | null;
  criterion: { key: string };
}
interface MatrixRow {
  accountName: string;
  score: number | null;
  completeness: number;
  rank: number | null;
  percentile: number | null;
  wouldBeKey: boolean;
  cells: MatrixCell[];
}
interface MatrixPage {
  totalCount: number;
  keyThreshold: number | null;
  columns: { weight: number; criterion: { key: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: MatrixRow }[];
}

async function matrixRows(variables: Record<string, unknown> = {}, token = admin.token): Promise<MatrixPage> {
  const response = await app.gql<{ scoreMatrix: { data: MatrixPage } }>(
    matrix,
    { first: 50, ...variables },
    token,
  );
  expect(response.errors).toBeUndefined();
  return (response.data as { scoreMatrix: { data: MatrixPage } }).scoreMatrix.data;
}

function score(accountId: string, criterionKey: string, value: number | null, evidence?: string) {
  return { accountId: globalId("Account", accountId), criterionKey, value, evidence };
}

async function scoreOf(name: string, variables: Record<string, unknown> = {}) {
  const response = await app.gql(
    accountScore,
    { id: globalId("Account", ids[name] as string), ...variables },
    admin.token,
  );
  expect(response.errors).toBeUndefined();
  return response.data.account.score;
}

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.createUser("ADMIN");
  manager = await app.createUser("MANAGER");
  outsider = await app.createUser("MANAGER");
  viewer = await app.createUser("VIEWER");
  const accounts: [string, "ACTIVE" | "PROSPECT" | "LOST"][] = [
    ["Alpha", "ACTIVE"],
    ["Bravo", "ACTIVE"],
    ["Charlie", "ACTIVE"],
    ["Delta", "ACTIVE"],
    ["Echo", "PROSPECT"],
    ["Foxtrot", "LOST"],
  ];
  for (const [name, status] of accounts) {
    const account = await app.db.prisma.account.create({
      data: { name, sortName: name.toLowerCase(), status, ownerId: manager.id },
    });
    ids[name] = account.id;
  }
  const created = await app.gql(
    createSet,
    {
      input: {
        name: "Test set",
        keyAccountRule: "TOP_N",
        keyAccountCount: 2,
        minCompleteness: 0.6,
        criteria: [
          {
            key: "profit",
            label: "Profit potential",
            weight: 3,
            rubric: [
              { from: 1, to: 3, text: "Thin margins" },
              { from: 8, to: 10, text: "Among our best margins" },
            ],
          },
          { key: "fit", label: "Product fit", weight: 1 },
          { key: "geo", label: "Geography", weight: 1 },
        ],
      },
    },
    admin.token,
  );
  expect(created.data.createCriteriaSet.__typename).toBe("MutationCreateCriteriaSetSuccess");
  setId = created.data.createCriteriaSet.data.id;
  setVersion = created.data.createCriteriaSet.data.version;
  const { data } = await app.gql(
    setScores,
    {
      input: {
        scores: [
          score(ids.Alpha as string, "profit", 10, "Margin 41% last year"),
          score(ids.Alpha as string, "fit", 10),
          score(ids.Alpha as string, "geo", 10),
          score(ids.Bravo as string, "profit", 7),
          score(ids.Bravo as string, "fit", 4),
          score(ids.Charlie as string, "profit", 7),
          score(ids.Charlie as string, "fit", 4),
          score(ids.Delta as string, "geo", 9),
          score(ids.Foxtrot as string, "profit", 10),
          score(ids.Foxtrot as string, "fit", 1),
          score(ids.Foxtrot as string, "geo", 1),
        ],
      },
    },
    manager.token,
  );
  expect(data.setScores.__typename).toBe("MutationSetScoresSuccess");
  expect(data.setScores.data.changed).toBe(11);
});
afterAll(() => app.close());

describe("criteria sets", () => {
  it("the first set is active and keeps its criteria, weights and rubric in order", async () => {
    const { data } = await app.gql(
      `{ criteriaSets { name isActive minCompleteness keyAccountRule keyAccountCount criteria { weight weightShare position criterion { key rubric { from to text } } } } }`,
      {},
      viewer.token,
    );
    expect(data.criteriaSets).toHaveLength(1);
    const [set] = data.criteriaSets;
    expect(set).toMatchObject({
      name: "Test set",
      isActive: true,
      keyAccountRule: "TOP_N",
      keyAccountCount: 2,
    });
    expect(set.criteria.map((c: any) => [c.criterion.key, c.weight, c.weightShare])).toEqual([
      ["profit", 3, 0.6],
      ["fit", 1, 0.2],
      ["geo", 1, 0.2],
    ]);
    expect(set.criteria[0].criterion.rubric).toEqual([
      { from: 1, to: 3, text: "Thin margins" },
      { from: 8, to: 10, text: "Among our best margins" },
    ]);
  });

  it("refuses non-positive weights, overlapping rubric bands, incomplete rules and non-admins", async () => {
    const bad = await app.gql(
      createSet,
      {
        input: {
          name: "Bad",
          keyAccountRule: "THRESHOLD",
          criteria: [
            { key: "profit", weight: 0 },
            {
              key: "new_one",
              label: "New",
              weight: 1,
              rubric: [
                { from: 1, to: 5, text: "a" },
                { from: 5, to: 10, text: "b" },
              ],
            },
          ],
        },
      },
      admin.token,
    );
    expect(bad.data.createCriteriaSet.code).toBe("VALIDATION_FAILED");
    const paths = bad.data.createCriteriaSet.issues.map((issue: any) => issue.path);
    expect(paths).toContain("input.criteria.0.weight");
    expect(paths).toContain("input.criteria.1.rubric");
    const noThreshold = await app.gql(
      createSet,
      { input: { name: "Bad", keyAccountRule: "THRESHOLD", criteria: [{ key: "profit", weight: 1 }] } },
      admin.token,
    );
    expect(noThreshold.data.createCriteriaSet.issues).toEqual([
      { path: "input.keyAccountThreshold", message: "the THRESHOLD rule needs the lowest key score" },
    ]);
    const forbidden = await app.gql(
      updateSet,
      { input: { id: setId, version: setVersion, keyAccountCount: 3 } },
      manager.token,
    );
    expect(forbidden.data.updateCriteriaSet.code).toBe("FORBIDDEN");
    expect(await app.db.prisma.criteriaSet.count()).toBe(1);
    expect(await app.db.prisma.scoringCriterion.count()).toBe(3);
  });
});

describe("the arithmetic", () => {
  it("weights, partial completeness, normalisation to 0-100, shared ranks and percentiles", async () => {
    const result = await matrixRows();
    expect(result.totalCount).toBe(6);
    expect(result.columns.map((column) => column.criterion.key)).toEqual(["profit", "fit", "geo"]);
    const rows = result.edges.map((edge) => edge.node);
    expect(
      rows.map((row) => [row.accountName, row.score, row.completeness, row.rank, row.percentile]),
    ).toEqual([
      ["Alpha", 100, 1, 1, 100],
      ["Delta", 88.89, 0.2, 2, 75],
      ["Foxtrot", 60, 1, 3, 50],
      ["Bravo", 58.33, 0.8, 4, 0],
      ["Charlie", 58.33, 0.8, 4, 0],
      ["Echo", null, 0, null, null],
    ]);
    // Unscored criteria are explicit nulls, never zeros.
    expect(rows[3]?.cells.map((cell) => cell.value)).toEqual([7, 4, null]);
    expect(rows[5]?.cells.map((cell) => cell.value)).toEqual([null, null, null]);
    // TOP_N 2 among eligible accounts (Delta incomplete, Foxtrot lost): Alpha, then Bravo and Charlie tied.
    expect(rows.filter((row) => row.wouldBeKey).map((row) => row.accountName)).toEqual([
      "Alpha",
      "Bravo",
      "Charlie",
    ]);
    expect(result.keyThreshold).toBe(58.33);
  });

  it("pages with cursors, orders by name, completeness or one criterion, and filters without changing ranks", async () => {
    const first = await matrixRows({ first: 2 });
    expect(first.edges.map((edge) => edge.node.accountName)).toEqual(["Alpha", "Delta"]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await matrixRows({ first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((edge) => edge.node.accountName)).toEqual(["Foxtrot", "Bravo"]);
    const byName = await matrixRows({ orderBy: { field: "NAME", direction: "DESC" } });
    expect(byName.edges.map((edge) => edge.node.accountName)).toEqual([
      "Foxtrot",
      "Echo",
      "Delta",
      "Charlie",
      "Bravo",
      "Alpha",
    ]);
    const byGeo = await matrixRows({
      orderBy: { field: "CRITERION", direction: "DESC", criterionKey: "geo" },
    });
    expect(byGeo.edges.map((edge) => edge.node.accountName)).toEqual([
      "Alpha",
      "Delta",
      "Foxtrot",
      "Bravo",
      "Charlie",
      "Echo",
    ]);
    const byCompleteness = await matrixRows({ orderBy: { field: "COMPLETENESS", direction: "ASC" } });
    expect(byCompleteness.edges[0]?.node.accountName).toBe("Echo");
    const filtered = await matrixRows({ filter: { status: ["ACTIVE"], search: "ha" } });
    expect(filtered.totalCount).toBe(2);
    expect(filtered.edges.map((edge) => [edge.node.accountName, edge.node.rank])).toEqual([
      ["Alpha", 1],
      ["Charlie", 4],
    ]);
    app.statements.length = 0;
    const badKey = await app.gql(
      matrix,
      { orderBy: { field: "CRITERION", criterionKey: "nope" } },
      admin.token,
    );
    expect(badKey.data.scoreMatrix.code).toBe("VALIDATION_FAILED");
    // Refused before anything is ranked: no ranking statement ran.
    expect(app.statements.filter((sql) => sql.includes("RANK() OVER"))).toEqual([]);
    expect(app.statements.some((sql) => sql.includes("CriteriaSet"))).toBe(true);
  });

  it("re-ranks at once when weights change, and audits the change", async () => {
    const response = await app.gql(
      updateSet,
      {
        input: {
          id: setId,
          version: setVersion,
          criteria: [
            { key: "profit", weight: 1 },
            { key: "fit", weight: 1 },
            { key: "geo", weight: 3 },
          ],
        },
      },
      admin.token,
    );
    expect(response.data.updateCriteriaSet.__typename).toBe("MutationUpdateCriteriaSetSuccess");
    const rows = (await matrixRows()).edges.map((edge) => edge.node);
    // Foxtrot: (10 + 1 + 3) / 5 = 2.8 → 20; Bravo: (7 + 4) / 2 = 5.5 → 50; Delta now 60% complete.
    expect(rows.map((row) => [row.accountName, row.score, row.completeness])).toEqual([
      ["Alpha", 100, 1],
      ["Delta", 88.89, 0.6],
      ["Bravo", 50, 0.4],
      ["Charlie", 50, 0.4],
      ["Foxtrot", 20, 1],
      ["Echo", null, 0],
    ]);
    const audit = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: {
        action: "criteriaSet.update",
        entityId: Buffer.from(setId, "base64").toString().split(":")[1],
      },
    });
    expect((audit.before as any).weights).toEqual([
      { key: "profit", weight: 3 },
      { key: "fit", weight: 1 },
      { key: "geo", weight: 1 },
    ]);
    expect((audit.after as any).weights[2]).toEqual({ key: "geo", weight: 3 });
    const stale = await app.gql(
      updateSet,
      { input: { id: setId, version: setVersion, name: "x" } },
      admin.token,
    );
    expect(stale.data.updateCriteriaSet.code).toBe("VERSION_CONFLICT");
    // Back to the fixture's weights.
    const restored = await app.gql(
      updateSet,
      {
        input: {
          id: setId,
          version: setVersion + 1,
          criteria: [
            { key: "profit", weight: 3 },
            { key: "fit", weight: 1 },
            { key: "geo", weight: 1 },
          ],
        },
      },
      admin.token,
    );
    setVersion = restored.data.updateCriteriaSet.data.version;
    expect(setVersion).toBe(3);
  });
});

describe("the explanation", () => {
  it("contributions add up to the score; the suggested increases really cross the threshold", async () => {
    const thresholdRule = await app.gql(
      updateSet,
      { input: { id: setId, version: setVersion, keyAccountRule: "THRESHOLD", keyAccountThreshold: 70 } },
      admin.token,
    );
    setVersion = thresholdRule.data.updateCriteriaSet.data.version;
    const bravo = await scoreOf("Bravo");
    expect(bravo.score).toBe(58.33);
    expect(bravo.wouldBeKey).toBe(false);
    const { explanation } = bravo;
    expect(explanation.keyThreshold).toBe(70);
    expect(explanation.contributions.map((c: any) => [c.criterion.key, c.value, c.points])).toEqual([
      ["profit", 7, 50],
      ["fit", 4, 8.33],
      ["geo", null, null],
    ]);
    // The threshold asks for a weighted mean of 1 + 9 × 0.7 = 7.3: fit is furthest below, then the
    // unscored geo, then profit.
    expect(
      explanation.heldBackBy.map((h: any) => [h.criterion.key, h.value, Number(h.shortfall.toFixed(2))]),
    ).toEqual([
      ["fit", 4, 3.3],
      ["geo", null, 1],
      ["profit", 7, 0.9],
    ]);
    // Profit weighs most: 7 → 8 gives 66.67, 7 → 9 gives 75.
    expect(explanation.liftToKey.map((s: any) => [s.criterion.key, s.from, s.to])).toEqual([
      ["profit", 7, 9],
    ]);
    expect(explanation.liftedScore).toBe(75);

    const applied = await app.gql(
      setScore,
      { input: score(ids.Bravo as string, "profit", 9, "New framework contract") },
      manager.token,
    );
    expect(applied.data.setScore.data.changed).toBe(1);
    const after = await scoreOf("Bravo");
    expect(after.score).toBe(75);
    expect(after.wouldBeKey).toBe(true);
    expect(after.explanation.liftToKey).toEqual([]);

    const delta = await scoreOf("Delta");
    expect(delta.wouldBeKey).toBe(false);
    expect(delta.explanation.missingForCompleteness.map((c: any) => c.key)).toEqual(["profit"]);
    const foxtrot = await scoreOf("Foxtrot");
    expect(foxtrot.explanation.blockedBecause).toBe("LOST");
    const echo = await scoreOf("Echo");
    expect(echo.score).toBeNull();
    expect(echo.explanation.blockedBecause).toBe("NOT_SCORED");

    const back = await app.gql(setScore, { input: score(ids.Bravo as string, "profit", 7) }, manager.token);
    expect(back.data.setScore.data.changed).toBe(1);
  });

  it("under TOP_N the threshold is the last selected score, and reaching it selects the account", async () => {
    const topOne = await app.gql(
      updateSet,
      { input: { id: setId, version: setVersion, keyAccountRule: "TOP_N", keyAccountCount: 1 } },
      admin.token,
    );
    setVersion = topOne.data.updateCriteriaSet.data.version;
    const charlie = await scoreOf("Charlie");
    expect(charlie.explanation.keyThreshold).toBe(100);
    expect(charlie.explanation.liftToKey.map((s: any) => [s.criterion.key, s.from, s.to])).toEqual([
      ["profit", 7, 10],
      ["fit", 4, 10],
    ]);
    expect(charlie.explanation.liftedScore).toBe(100);
    const restored = await app.gql(
      updateSet,
      { input: { id: setId, version: setVersion, keyAccountCount: 2 } },
      admin.token,
    );
    setVersion = restored.data.updateCriteriaSet.data.version;
  });
});

describe("scores", () => {
  it("keep every change; scores and the matrix read as of a past date, with the trend against 90 days before", async () => {
    const history = await app.gql(
      `query($id: ID!) { account(id: $id) { ... on Account { scoreHistory(criterionKey: "profit") { totalCount edges { node { value previous evidence author criterion { key } } } } } } }`,
      { id: globalId("Account", ids.Bravo as string) },
      admin.token,
    );
    const changes = history.data.account.scoreHistory.edges.map((edge: any) => edge.node);
    expect(changes.map((c: any) => [c.value, c.previous])).toEqual([
      [7, 9],
      [9, 7],
      [7, null],
    ]);
    expect(changes[1].evidence).toBe("New framework contract");
    expect(changes[1].author).toBe(manager.email);

    // Alpha's older history: all three criteria at 5 a hundred days ago (score 44.44), profit
    // withdrawn ninety-five days ago.
    const criteria = await app.db.prisma.scoringCriterion.findMany();
    const day = 86_400_000;
    const past = (days: number) => new Date(Date.now() - days * day);
    await app.db.prisma.scoreChange.createMany({
      data: [
        ...criteria.map((criterion) => ({
          accountId: ids.Alpha as string,
          criterionId: criterion.id,
          value: 5,
          authorKind: "USER" as const,
          authorLabel: "history",
          changedAt: past(100),
        })),
        {
          accountId: ids.Alpha as string,
          criterionId: criteria.find((c) => c.key === "profit")?.id as string,
          value: null,
          previous: 5,
          authorKind: "USER" as const,
          authorLabel: "history",
          changedAt: past(95),
        },
      ],
    });
    const then = await matrixRows({ asOf: past(99).toISOString() });
    expect(then.edges.map((edge) => [edge.node.accountName, edge.node.score, edge.node.rank])).toEqual([
      ["Alpha", 44.44, 1],
      ["Bravo", null, null],
      ["Charlie", null, null],
      ["Delta", null, null],
      ["Echo", null, null],
      ["Foxtrot", null, null],
    ]);
    const withdrawn = await scoreOf("Alpha", { asOf: past(94).toISOString() });
    expect(withdrawn.cells.map((cell: any) => cell.value)).toEqual([null, 5, 5]);
    expect(withdrawn.score).toBe(44.44);
    expect(withdrawn.completeness).toBe(0.4);
    const now = await scoreOf("Alpha");
    // 90 days ago Alpha stood at fit 5 and geo 5 (profit withdrawn): 44.44; today 100.
    expect(now.previousScore).toBe(44.44);
    expect(now.trend).toBe(55.56);
    expect(now.cells[0].evidence).toBe("Margin 41% last year");
    expect(Math.abs(Date.parse(now.cells[0].scoredAt) - Date.now())).toBeLessThan(10 * 60_000);
    expect(Math.abs(Date.parse(withdrawn.cells[1].scoredAt) - past(100).getTime())).toBeLessThan(60_000);
  });

  it("accepts integers 1-10 only, checks links, names the bad entry and changes nothing", async () => {
    const before = [await app.db.prisma.score.count(), await app.db.prisma.scoreChange.count()];
    const bad = await app.gql(
      setScores,
      {
        input: {
          scores: [
            score(ids.Echo as string, "profit", 5),
            score(ids.Echo as string, "fit", 11),
            { ...score(ids.Echo as string, "geo", 3), evidenceUrl: "javascript:alert(1)" },
            score(ids.Echo as string, "unknown", 3),
          ],
        },
      },
      manager.token,
    );
    expect(bad.data.setScores.code).toBe("VALIDATION_FAILED");
    expect(bad.data.setScores.issues.map((issue: any) => issue.path)).toEqual([
      "input.scores.1.value",
      "input.scores.2.evidenceUrl",
    ]);
    const unknown = await app.gql(
      setScores,
      { input: { scores: [score(ids.Echo as string, "nope", 3)] } },
      manager.token,
    );
    expect(unknown.data.setScores.issues).toEqual([
      { path: "input.scores.0.criterionKey", message: 'no criterion "nope"' },
    ]);
    const twice = await app.gql(
      setScores,
      { input: { scores: [score(ids.Echo as string, "fit", 3), score(ids.Echo as string, "fit", 4)] } },
      manager.token,
    );
    expect(twice.data.setScores.issues[0].path).toBe("input.scores.1");
    const fraction = await app.gql(setScore, { input: score(ids.Echo as string, "fit", 5.5) }, manager.token);
    expect(fraction.errors?.[0]?.message).toMatch(/Int/);
    const forged = await app.gql(
      setScore,
      { input: { ...score("x", "fit", 5), accountId: "Zm9vOmJhcg==" } },
      manager.token,
    );
    expect(forged.data.setScore.code).toBe("INVALID_ID");
    const missing = await app.gql(setScore, { input: score("no-such-account", "fit", 5) }, manager.token);
    expect(missing.data.setScore.code).toBe("NOT_FOUND");
    expect([await app.db.prisma.score.count(), await app.db.prisma.scoreChange.count()]).toEqual(before);
  });

  it("a batch with one account outside the manager's team is refused whole", async () => {
    const other = await app.db.prisma.account.create({
      data: { name: "Golf", sortName: "golf", status: "ACTIVE", ownerId: outsider.id },
    });
    const before = [await app.db.prisma.score.count(), await app.db.prisma.scoreChange.count()];
    const refused = await app.gql(
      setScores,
      { input: { scores: [score(ids.Echo as string, "fit", 6), score(other.id, "fit", 6)] } },
      manager.token,
    );
    expect(refused.data.setScores.code).toBe("FORBIDDEN");
    const viewerTry = await app.gql(setScore, { input: score(ids.Echo as string, "fit", 6) }, viewer.token);
    expect(viewerTry.data.setScore.code).toBe("FORBIDDEN");
    const readKey = await app.createKey(["read"]);
    const keyTry = await app.gql(setScore, { input: score(ids.Echo as string, "fit", 6) }, readKey.secret);
    expect(keyTry.data.setScore.code).toBe("FORBIDDEN");
    expect([await app.db.prisma.score.count(), await app.db.prisma.scoreChange.count()]).toEqual(before);
    const writeKey = await app.createKey(["write"], "ERP sync");
    const byKey = await app.gql(
      setScore,
      { input: score(other.id, "fit", 6, "From the ERP") },
      writeKey.secret,
    );
    expect(byKey.data.setScore.data.scores[0].author).toMatch(/ERP sync/);
    await app.db.prisma.account.update({ where: { id: other.id }, data: { archivedAt: new Date() } });
    const archived = await app.gql(setScore, { input: score(other.id, "fit", 7) }, admin.token);
    expect(archived.data.setScore.code).toBe("ACCOUNT_ARCHIVED");
  });

  it("an unchanged score writes nothing; null withdraws a score and the history keeps it", async () => {
    const same = await app.gql(setScore, { input: score(ids.Delta as string, "geo", 9) }, manager.token);
    expect(same.data.setScore.data.changed).toBe(0);
    const withdrawn = await app.gql(
      setScore,
      { input: score(ids.Delta as string, "geo", null) },
      manager.token,
    );
    expect(withdrawn.data.setScore.data).toEqual({ changed: 1, scores: [] });
    expect((await scoreOf("Delta")).score).toBeNull();
    const last = await app.db.prisma.scoreChange.findFirstOrThrow({
      where: { accountId: ids.Delta },
      orderBy: { changedAt: "desc" },
    });
    expect([last.value, last.previous]).toEqual([null, 9]);
    await app.gql(setScore, { input: score(ids.Delta as string, "geo", 9) }, manager.token);
  });
});

describe("cell versions", () => {
  const cells = `query($set: ID, $filter: AccountFilter) { scoreMatrix(criteriaSetId: $set, first: 10, filter: $filter) {
    ... on QueryScoreMatrixSuccess { data { edges { node { accountName score previousScore trend
      cells { value version criterion { key } } } } } }
  } }`;

  async function cellOf(name: string, key: string) {
    const response = await app.gql(cells, { set: setId, filter: { search: name } }, admin.token);
    expect(response.errors).toBeUndefined();
    const row = response.data.scoreMatrix.data.edges.find((edge: any) => edge.node.accountName === name).node;
    return { row, cell: row.cells.find((cell: any) => cell.criterion.key === key) };
  }

  it("count every change of a cell, withdrawals included; a stale version is refused and changes nothing", async () => {
    const account = await app.db.prisma.account.create({
      data: { name: "Versioned", sortName: "versioned", status: "ACTIVE", ownerId: manager.id },
    });
    const never = await cellOf("Versioned", "fit");
    expect(never.cell).toMatchObject({ value: null, version: 0 });
    const first = await app.gql(
      setScore,
      { input: { ...score(account.id, "fit", 6), version: 0 } },
      manager.token,
    );
    expect(first.data.setScore.__typename).toBe("MutationSetScoreSuccess");
    expect((await cellOf("Versioned", "fit")).cell).toMatchObject({ value: 6, version: 1 });
    // Someone else saw version 0 too: refused, with both versions, and the 6 stays.
    const stale = await app.gql(
      setScore,
      { input: { ...score(account.id, "fit", 2), version: 0 } },
      admin.token,
    );
    expect(stale.data.setScore).toMatchObject({
      __typename: "VersionConflictError",
      code: "VERSION_CONFLICT",
    });
    expect(stale.data.setScore.message).toMatch(/version 0.*version 1/);
    expect((await cellOf("Versioned", "fit")).cell).toMatchObject({ value: 6, version: 1 });
    // A withdrawal counts: the cell is empty again but at version 2, so version 0 stays stale.
    await app.gql(setScore, { input: { ...score(account.id, "fit", null), version: 1 } }, manager.token);
    expect((await cellOf("Versioned", "fit")).cell).toMatchObject({ value: null, version: 2 });
    const afterWithdrawal = await app.gql(
      setScore,
      { input: { ...score(account.id, "fit", 3), version: 0 } },
      manager.token,
    );
    expect(afterWithdrawal.data.setScore.code).toBe("VERSION_CONFLICT");
    // In a batch, one stale entry refuses the whole batch.
    const batch = await app.gql(
      setScores,
      {
        input: {
          scores: [
            { ...score(account.id, "geo", 5), version: 0 },
            { ...score(account.id, "fit", 5), version: 1 },
          ],
        },
      },
      manager.token,
    );
    expect(batch.data.setScores.code).toBe("VERSION_CONFLICT");
    // It names the stale entry: the second (the first, never scored, is at version 0 indeed).
    expect(batch.data.setScores.path).toBe("input.scores.1.version");
    expect((await cellOf("Versioned", "geo")).cell).toMatchObject({ value: null, version: 0 });
    const negative = await app.gql(
      setScore,
      { input: { ...score(account.id, "fit", 5), version: -1 } },
      manager.token,
    );
    expect(negative.data.setScore.issues).toEqual([
      { path: "input.scores.0.version", message: "must be 0 or more" },
    ]);
    // Without a version, the last write wins as before.
    const blind = await app.gql(setScore, { input: score(account.id, "fit", 8) }, manager.token);
    expect(blind.data.setScore.data.changed).toBe(1);
    expect((await cellOf("Versioned", "fit")).cell).toMatchObject({ value: 8, version: 3 });
    await app.db.prisma.account.delete({ where: { id: account.id } });
  });

  it("two saves of the same version at the same time: one wins, the other gets a conflict", async () => {
    const account = await app.db.prisma.account.create({
      data: { name: "Raced", sortName: "raced", status: "ACTIVE", ownerId: manager.id },
    });
    for (let round = 0; round < 5; round += 1) {
      const { cell } = await cellOf("Raced", "fit");
      // Two different changes (neither the score as it is, which would write nothing).
      const values = [2, 3, 4, 5].filter((value) => value !== cell.value).slice(0, 2);
      const results = await Promise.all(
        values.map((value) =>
          app.gql(
            setScore,
            { input: { ...score(account.id, "fit", value), version: cell.version } },
            admin.token,
          ),
        ),
      );
      const kinds = results.map((result) => result.data.setScore.__typename).sort();
      expect(kinds, JSON.stringify(results)).toEqual(["MutationSetScoreSuccess", "VersionConflictError"]);
      // The history holds the winner's change only.
      expect((await cellOf("Raced", "fit")).cell.version).toBe(cell.version + 1);
    }
    await app.db.prisma.account.delete({ where: { id: account.id } });
  });

  it("a matrix row carries the trend against 90 days before, as the account's score does", async () => {
    const { row } = await cellOf("Alpha", "profit");
    const alone = await scoreOf("Alpha");
    expect(row.score).toBe(alone.score);
    expect(row.previousScore).toBe(alone.previousScore);
    expect(row.trend).toBe(alone.trend);
  });
});

describe("key-account selection", () => {
  const candidates = `query { keyAccountCandidates { ... on KeyAccountCandidates {
    keyThreshold
    toAdd { accountName score rank change reason account { name isKeyAccount } }
    toDrop { accountName score change reason }
  } } }`;
  const confirm = `mutation($input: ConfirmKeyAccountsInput!) {
    confirmKeyAccounts(input: $input) {
      __typename
      ... on MutationConfirmKeyAccountsSuccess { data { name isKeyAccount version } }
      ... on ValidationError { code issues { path message } }
      ... on Error { code }
    }
  }`;

  it("lists what the rule would add and drop, with reasons; a person confirms, audited", async () => {
    await app.db.prisma.account.update({ where: { id: ids.Echo }, data: { isKeyAccount: true } });
    await app.db.prisma.account.update({ where: { id: ids.Alpha }, data: { isKeyAccount: true } });
    const { data, errors } = await app.gql(candidates, {}, viewer.token);
    expect(errors).toBeUndefined();
    const list = data.keyAccountCandidates;
    expect(list.keyThreshold).toBe(58.33);
    expect(list.toAdd.map((c: any) => [c.accountName, c.change, c.account.isKeyAccount])).toEqual([
      ["Bravo", "ADD", false],
      ["Charlie", "ADD", false],
    ]);
    expect(list.toAdd[0].reason).toBe("Scores 58.33, rank 4: within the top 2.");
    expect(list.toDrop).toEqual([
      { accountName: "Echo", score: null, change: "DROP", reason: "No criterion is scored." },
    ]);

    const notCandidate = await app.gql(
      confirm,
      {
        input: {
          add: [globalId("Account", ids.Delta as string)],
          drop: [globalId("Account", ids.Echo as string)],
        },
      },
      admin.token,
    );
    expect(notCandidate.data.confirmKeyAccounts.issues).toEqual([
      { path: "input.add.0", message: "not a candidate to add: the rule does not make it key" },
    ]);
    expect((await app.db.prisma.account.findUniqueOrThrow({ where: { id: ids.Echo } })).isKeyAccount).toBe(
      true,
    );
    const byManager = await app.gql(
      confirm,
      { input: { add: [globalId("Account", ids.Bravo as string)] } },
      manager.token,
    );
    expect(byManager.data.confirmKeyAccounts.code).toBe("FORBIDDEN");

    const confirmed = await app.gql(
      confirm,
      {
        input: {
          criteriaSetId: setId,
          add: [globalId("Account", ids.Bravo as string)],
          drop: [globalId("Account", ids.Echo as string)],
        },
      },
      admin.token,
    );
    expect(confirmed.data.confirmKeyAccounts.data.map((a: any) => [a.name, a.isKeyAccount])).toEqual([
      ["Bravo", true],
      ["Echo", false],
    ]);
    const audit = await app.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: "account.keyAccount.add", entityId: ids.Bravo },
    });
    expect(audit.after).toMatchObject({ isKeyAccount: true, criteriaSet: "Test set", score: 58.33, rank: 4 });
    const after = await app.gql(candidates, {}, viewer.token);
    expect(after.data.keyAccountCandidates.toAdd.map((c: any) => c.accountName)).toEqual(["Charlie"]);
    expect(after.data.keyAccountCandidates.toDrop).toEqual([]);
  });
});

describe("Three P", () => {
  const qualify = `mutation($input: QualifyProspectInput!) {
    qualifyProspect(input: $input) {
      __typename
      ... on MutationQualifyProspectSuccess { data { need needNote solvency authority version updatedBy } }
      ... on ValidationError { code issues { path message } }
      ... on Error { code }
    }
  }`;

  it("qualifies prospects only, field by field, with versions; shown on the account", async () => {
    const first = await app.gql(
      qualify,
      {
        input: {
          accountId: globalId("Account", ids.Echo as string),
          need: "YES",
          needNote: "Tender due in spring",
        },
      },
      manager.token,
    );
    expect(first.data.qualifyProspect.data).toMatchObject({
      need: "YES",
      needNote: "Tender due in spring",
      solvency: "UNKNOWN",
      authority: "UNKNOWN",
      version: 1,
      updatedBy: manager.email,
    });
    const second = await app.gql(
      qualify,
      { input: { accountId: globalId("Account", ids.Echo as string), version: 1, solvency: "NO" } },
      manager.token,
    );
    expect(second.data.qualifyProspect.data).toMatchObject({ need: "YES", solvency: "NO", version: 2 });
    const stale = await app.gql(
      qualify,
      { input: { accountId: globalId("Account", ids.Echo as string), version: 1, authority: "YES" } },
      manager.token,
    );
    expect(stale.data.qualifyProspect.code).toBe("VERSION_CONFLICT");
    const client = await app.gql(
      qualify,
      { input: { accountId: globalId("Account", ids.Alpha as string), need: "YES" } },
      manager.token,
    );
    expect(client.data.qualifyProspect.issues[0].path).toBe("input.accountId");
    const outsiderTry = await app.gql(
      qualify,
      { input: { accountId: globalId("Account", ids.Echo as string), version: 2, need: "NO" } },
      outsider.token,
    );
    expect(outsiderTry.data.qualifyProspect.code).toBe("FORBIDDEN");
    const shown = await app.gql(
      `query($id: ID!) { account(id: $id) { ... on Account { qualification { need solvency authority } score { score qualification { need } } } } }`,
      { id: globalId("Account", ids.Echo as string) },
      viewer.token,
    );
    expect(shown.data.account).toEqual({
      qualification: { need: "YES", solvency: "NO", authority: "UNKNOWN" },
      score: { score: null, qualification: { need: "YES" } },
    });
  });
});

describe("SQL statements", () => {
  const page = `query($first: Int) { scoreMatrix(first: $first) {
    ... on QueryScoreMatrixSuccess { data { totalCount columns { criterion { key label } }
      edges { node { accountName score rank completeness percentile cells { value evidence criterion { key } } } } } }
  } }`;

  async function statementsFor(first: number, query = page) {
    app.statements.length = 0;
    const response = await app.gql(query, { first }, admin.token);
    expect(response.data.scoreMatrix.data.edges).toHaveLength(first);
    return [...app.statements];
  }

  it("a matrix page is one ranking statement whatever its size", async () => {
    const small = await statementsFor(2);
    const large = await statementsFor(6);
    expect(large.length).toBe(small.length);
    expect(small.filter((sql) => sql.includes("WINDOW by_score"))).toHaveLength(1);
    // The caller, the active criteria set with its criteria, and the ranking; on PostgreSQL also
    // the transaction snapshot that tells whether a remembered ranking still holds.
    expect(small.length).toBeLessThanOrEqual(app.db.kind === "postgres" ? 6 : 5);
  });

  it("the rows' accounts are read in one more statement whatever the page's size", async () => {
    const withAccounts = page.replace("accountName", "accountName account { name isKeyAccount }");
    const small = await statementsFor(2, withAccounts);
    const large = await statementsFor(6, withAccounts);
    expect(large.length).toBe(small.length);
    expect(small.length).toBe((await statementsFor(2)).length + 1);
  });

  it("a list of accounts with their scores reads the scores in one ranking statement", async () => {
    const list = `query($first: Int) { accounts(first: $first) { edges { node { name
      score { score rank explanation { keyThreshold } cells { value } } } } } }`;
    const counts = [];
    for (const first of [2, 6]) {
      app.statements.length = 0;
      const response = await app.gql(list, { first }, admin.token);
      expect(response.errors).toBeUndefined();
      expect(response.data.accounts.edges).toHaveLength(first);
      const alpha = response.data.accounts.edges.find((edge: any) => edge.node.name === "Alpha");
      expect(alpha.node.score.rank).toBe(1);
      counts.push(app.statements.length);
      expect(app.statements.filter((sql) => sql.includes("WINDOW by_score"))).toHaveLength(1);
    }
    expect(counts[1]).toBe(counts[0]);
  });
});
