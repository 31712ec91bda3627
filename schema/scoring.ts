import { resolveOffsetConnection } from "@pothos/plugin-relay";
import { filter, pipe } from "graphql-yoga";
import { ForbiddenError, InvalidIdError, NotFoundError, ValidationError } from "../api/errors.ts";
import type { ScoreChangedEvent } from "../api/events.ts";
import { share } from "../api/precision.ts";
import {
  type CriteriaSetWithCriteria,
  createCriteriaSet,
  resolveCriteriaSet,
  updateCriteriaSet,
} from "../api/services/criteria-sets.ts";
import { confirmKeyAccounts, keyAccountCandidates } from "../api/services/key-accounts.ts";
import { qualificationAnswers, qualifyProspect } from "../api/services/prospect-qualification.ts";
import { explainScore, type ScoreExplanation } from "../api/services/score-explanation.ts";
import {
  type RankedAccount,
  type RankingOrderField,
  rankAccounts,
  type ScoreCell,
  trendDays,
} from "../api/services/score-ranking.ts";
import { scoreCellVersions, setScores } from "../api/services/scores.ts";
import type { Account as AccountRow } from "../prisma/generated/sqlite/client.ts";
import { Account, AccountFilter, type AccountFilterArgs, accountsWhere, SortDirection } from "./accounts.ts";
import { builder } from "./builder.ts";
import { analysisCost } from "./complexity.ts";
import { type Context, perRequest, perRequestLoader } from "./context.ts";
import { accountWriteErrors, dossierWriteErrors, writeErrors } from "./errors.ts";
import { decodeId, encodeGlobalID } from "./ids.ts";

const KeyAccountRuleEnum = builder.enumType("KeyAccountRule", {
  description:
    "TOP_N: the keyAccountCount best-scored eligible accounts are key (ties at the last place included). THRESHOLD: eligible accounts scoring keyAccountThreshold or more are key.",
  values: ["TOP_N", "THRESHOLD"] as const,
});
const QualificationAnswerEnum = builder.enumType("QualificationAnswer", { values: qualificationAnswers });

const RubricBand = builder.objectRef<{ from: number; to: number; text: string }>("RubricBand").implement({
  description: "What a score from `from` to `to` means on a criterion.",
  fields: (t) => ({ from: t.exposeInt("from"), to: t.exposeInt("to"), text: t.exposeString("text") }),
});

const ScoringCriterion = builder.prismaNode("ScoringCriterion", {
  description:
    "A criterion accounts are scored on, 1-10. Its scores serve every criteria set that weighs it.",
  id: { field: "id" },
  nullable: true,
  authScopes: { readAccounts: true },
  fields: (t) => ({
    key: t.exposeString("key", { description: "Stable name for integrations, e.g. profit_potential." }),
    label: t.exposeString("label"),
    description: t.exposeString("description", { nullable: true }),
    rubric: t.field({
      type: [RubricBand],
      description: "What scores mean, by band; empty when none was written.",
      resolve: (criterion) => (Array.isArray(criterion.rubric) ? (criterion.rubric as never[]) : []),
    }),
  }),
});

type WeightedCriterionShape = CriteriaSetWithCriteria["weights"][number] & { share: number };

const WeightedCriterion = builder.objectRef<WeightedCriterionShape>("WeightedCriterion").implement({
  description: "A criterion in a set, with its weight: a column of the score matrix.",
  fields: (t) => ({
    criterion: t.field({ type: ScoringCriterion, resolve: (entry) => entry.criterion }),
    weight: t.exposeFloat("weight"),
    weightShare: t.exposeFloat("share", {
      description: "The weight's share of the set's total weight, 0-1, 4 decimals.",
    }),
    position: t.exposeInt("position"),
  }),
});

function weightedCriteria(set: CriteriaSetWithCriteria): WeightedCriterionShape[] {
  const total = set.weights.reduce((sum, entry) => sum + entry.weight, 0);
  return set.weights.map((entry) => ({ ...entry, share: share(entry.weight / total) }));
}

const criteriaSelect = { weights: { include: { criterion: true }, orderBy: { position: "asc" as const } } };

const CriteriaSet = builder.prismaNode("CriteriaSet", {
  description:
    "A weighted choice of criteria and the rule that picks key accounts by its score. One set is active; others can be tried beside it.",
  id: { field: "id" },
  nullable: true,
  authScopes: { readAccounts: true },
  fields: (t) => ({
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    isActive: t.exposeBoolean("isActive"),
    keyAccountRule: t.field({ type: KeyAccountRuleEnum, resolve: (set) => set.keyAccountRule }),
    keyAccountCount: t.exposeInt("keyAccountCount", { nullable: true }),
    keyAccountThreshold: t.exposeFloat("keyAccountThreshold", { nullable: true }),
    minCompleteness: t.exposeFloat("minCompleteness", {
      description: "Share of the set's weight (0-1) an account must have scored to be selected as key.",
    }),
    version: t.exposeInt("version"),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    criteria: t.field({
      type: [WeightedCriterion],
      select: criteriaSelect,
      resolve: (set) => weightedCriteria(set as CriteriaSetWithCriteria),
    }),
  }),
});

const Score = builder.prismaObject("Score", {
  description: "An account's current score on a criterion.",
  authScopes: { readAccounts: true },
  fields: (t) => ({
    account: t.relation("account"),
    criterion: t.relation("criterion"),
    value: t.exposeInt("value", { description: "1-10" }),
    evidence: t.exposeString("evidence", { nullable: true }),
    evidenceUrl: t.exposeString("evidenceUrl", { nullable: true }),
    author: t.exposeString("authorLabel", { description: "Who scored: a user's e-mail or an API key." }),
    scoredAt: t.expose("scoredAt", { type: "DateTime" }),
  }),
});

builder.prismaNode("ScoreChange", {
  description: "One change of a score, kept for ever.",
  id: { field: "id" },
  nullable: true,
  authScopes: { readAccounts: true },
  fields: (t) => ({
    criterion: t.relation("criterion"),
    value: t.exposeInt("value", {
      nullable: true,
      description: "The new score; null when it was withdrawn.",
    }),
    previous: t.exposeInt("previous", { nullable: true }),
    evidence: t.exposeString("evidence", { nullable: true }),
    evidenceUrl: t.exposeString("evidenceUrl", { nullable: true }),
    author: t.exposeString("authorLabel"),
    changedAt: t.expose("changedAt", { type: "DateTime" }),
  }),
});

builder.prismaObject("ProspectQualification", {
  description:
    "Three P: does the prospect need what we sell, can it pay, and are we talking to whoever decides?",
  authScopes: { readAccounts: true },
  fields: (t) => ({
    need: t.field({ type: QualificationAnswerEnum, resolve: (q) => q.need }),
    needNote: t.exposeString("needNote", { nullable: true }),
    solvency: t.field({ type: QualificationAnswerEnum, resolve: (q) => q.solvency }),
    solvencyNote: t.exposeString("solvencyNote", { nullable: true }),
    authority: t.field({
      type: QualificationAnswerEnum,
      description: "Authority to decide.",
      resolve: (q) => q.authority,
    }),
    authorityNote: t.exposeString("authorityNote", { nullable: true }),
    updatedBy: t.exposeString("updatedByLabel", { nullable: true }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    version: t.exposeInt("version"),
  }),
});

interface CellShape {
  set: CriteriaSetWithCriteria;
  accountId: string;
  criterionId: string;
  cell: ScoreCell | undefined;
}

const criterionOf = (set: CriteriaSetWithCriteria, criterionId: string) =>
  set.weights.find((entry) => entry.criterionId === criterionId)?.criterion;

const ScoreCellRef = builder.objectRef<CellShape>("ScoreCell").implement({
  description: "One criterion's score in a row of the matrix; value null means not scored (never a zero).",
  fields: (t) => ({
    criterion: t.field({
      type: ScoringCriterion,
      resolve: (c) => criterionOf(c.set, c.criterionId) as never,
    }),
    value: t.int({ nullable: true, resolve: (c) => c.cell?.value ?? null }),
    evidence: t.string({ nullable: true, resolve: (c) => c.cell?.evidence ?? null }),
    evidenceUrl: t.string({ nullable: true, resolve: (c) => c.cell?.evidenceUrl ?? null }),
    author: t.string({ nullable: true, resolve: (c) => c.cell?.authorLabel ?? null }),
    scoredAt: t.field({ type: "DateTime", nullable: true, resolve: (c) => c.cell?.scoredAt ?? null }),
    version: t.int({
      description:
        "How many times this cell was set or withdrawn (0: never scored); send it back with ScoreInput.version so a change made meanwhile is not overwritten.",
      resolve: (c, _args, context) => cellVersion(context, c.accountId, c.criterionId),
    }),
  }),
});

/** The versions of the cells a request shows, counted in one statement. */
function cellVersion(context: Context, accountId: string, criterionId: string) {
  return perRequestLoader<string, number>(context, "scoreCellVersions", async (keys) => {
    const cells = keys.map((key) => key.split("\u0000") as [string, string]);
    const versions = await scoreCellVersions(
      context.db.prisma,
      cells.map(([account, criterion]) => ({ accountId: account, criterionId: criterion })),
    );
    return cells.map(([account, criterion]) => versions.get(`${account}\u0000${criterion}`) ?? 0);
  }).load(`${accountId}\u0000${criterionId}`);
}

function cellsOf(set: CriteriaSetWithCriteria, ranked: RankedAccount): CellShape[] {
  const byCriterion = new Map(ranked.cells.map((cell) => [cell.criterionId, cell]));
  return set.weights.map((entry) => ({
    set,
    accountId: ranked.accountId,
    criterionId: entry.criterionId,
    cell: byCriterion.get(entry.criterionId),
  }));
}

interface RankedShape {
  set: CriteriaSetWithCriteria;
  ranked: RankedAccount;
  keyThreshold: number | null;
}

/** The accounts of the rows a request shows, read in one statement. */
function shownAccount(context: Context, accountId: string) {
  return perRequestLoader<string, AccountRow>(context, "shownAccounts", async (ids) => {
    const accounts = await context.db.prisma.account.findMany({ where: { id: { in: [...ids] } } });
    const byId = new Map(accounts.map((account) => [account.id, account]));
    return ids.map((id) => byId.get(id) ?? new NotFoundError("Account", id));
  }).load(accountId);
}

/** The numbers every view of a ranked account shares. */
const RankedAccountInterface = builder.interfaceRef<RankedShape>("RankedAccount").implement({
  description: "An account's place in a criteria set's ranking.",
  fields: (t) => ({
    account: t.field({
      type: Account,
      description: "The account (loaded only when asked for).",
      resolve: (row, _args, context) => shownAccount(context, row.ranked.accountId),
    }),
    accountName: t.string({ resolve: (row) => row.ranked.name }),
    isKeyAccount: t.boolean({ resolve: (row) => row.ranked.isKeyAccount }),
    score: t.float({
      nullable: true,
      description:
        "Weighted score, 0-100, 2 decimals, over the scored criteria; null when nothing is scored.",
      resolve: (row) => row.ranked.score,
    }),
    completeness: t.float({
      description: "Scored weight / total weight, 0-1, 4 decimals.",
      resolve: (row) => row.ranked.completeness,
    }),
    rank: t.int({
      nullable: true,
      description: "Rank among all scored accounts; equal scores share a rank.",
      resolve: (row) => row.ranked.rank,
    }),
    percentile: t.float({
      nullable: true,
      description: "Share of the other scored accounts scoring lower, 0-100, 2 decimals.",
      resolve: (row) => row.ranked.percentile,
    }),
    wouldBeKey: t.boolean({
      description: "Whether the set's rule makes this account key.",
      resolve: (row) => row.ranked.wouldBeKey,
    }),
  }),
});

const AccountScoreRef = builder.objectRef<RankedShape>("AccountScore").implement({
  interfaces: [RankedAccountInterface],
  description: "An account's weighted score in a criteria set, with its rank and the explanation.",
  fields: (t) => ({
    criteriaSet: t.field({ type: CriteriaSet, resolve: (row) => row.set }),
    previousScore: t.float({
      nullable: true,
      description: `The score ${trendDays} days before, 2 decimals.`,
      resolve: (row) => row.ranked.previousScore,
    }),
    trend: t.float({
      nullable: true,
      description: `Score minus the score ${trendDays} days before, 2 decimals; null when either is missing.`,
      resolve: (row) => row.ranked.trend,
    }),
    cells: t.field({ type: [ScoreCellRef], resolve: (row) => cellsOf(row.set, row.ranked) }),
    qualification: t.prismaField({
      type: "ProspectQualification",
      nullable: true,
      description: "Three P, beside the score, for prospects.",
      resolve: (query, row, _args, context) =>
        context.db.prisma.prospectQualification.findUnique({
          ...query,
          where: { accountId: row.ranked.accountId },
        }),
    }),
    explanation: t.field({
      type: ScoreExplanationRef,
      resolve: (row) => ({ set: row.set, explanation: explainScore(row.set, row.ranked, row.keyThreshold) }),
    }),
  }),
});

interface ExplanationShape {
  set: CriteriaSetWithCriteria;
  explanation: ScoreExplanation;
}

const Contribution = builder
  .objectRef<{ set: CriteriaSetWithCriteria; entry: ScoreExplanation["contributions"][number] }>(
    "ScoreContribution",
  )
  .implement({
    description: "What one criterion brings to the score.",
    fields: (t) => ({
      criterion: t.field({
        type: ScoringCriterion,
        resolve: (c) => criterionOf(c.set, c.entry.criterionId) as never,
      }),
      weight: t.float({ resolve: (c) => c.entry.weight }),
      weightShare: t.float({
        description: "The weight over the set's total weight, 0-1, 4 decimals.",
        resolve: (c) => c.entry.weightShare,
      }),
      value: t.int({ nullable: true, resolve: (c) => c.entry.value }),
      points: t.float({
        nullable: true,
        description:
          "Points of the 0-100 score from this criterion, 2 decimals; they add up to the score (to rounding).",
        resolve: (c) => c.entry.points,
      }),
    }),
  });

const ScoreIncrease = builder
  .objectRef<{ set: CriteriaSetWithCriteria; entry: ScoreExplanation["liftToKey"][number] }>("ScoreIncrease")
  .implement({
    description: "Raise this criterion's score from `from` to `to`.",
    fields: (t) => ({
      criterion: t.field({
        type: ScoringCriterion,
        resolve: (c) => criterionOf(c.set, c.entry.criterionId) as never,
      }),
      from: t.int({ resolve: (c) => c.entry.from }),
      to: t.int({ resolve: (c) => c.entry.to }),
    }),
  });

const HoldingBack = builder
  .objectRef<{ set: CriteriaSetWithCriteria; entry: ScoreExplanation["heldBackBy"][number] }>(
    "ScoreHoldingBack",
  )
  .implement({
    description: "A criterion below the level the key-account threshold asks for, or not scored.",
    fields: (t) => ({
      criterion: t.field({
        type: ScoringCriterion,
        resolve: (c) => criterionOf(c.set, c.entry.criterionId) as never,
      }),
      value: t.int({ nullable: true, resolve: (c) => c.entry.value }),
      shortfall: t.float({
        description: "Weight × points below the needed level (the weight itself when unscored), 2 decimals.",
        resolve: (c) => c.entry.shortfall,
      }),
    }),
  });

const BlockedBecauseEnum = builder.enumType("ScoreBlockedBecause", {
  description: "LOST: lost accounts are never selected. NOT_SCORED: nothing is scored yet.",
  values: ["LOST", "NOT_SCORED"] as const,
});

const ScoreExplanationRef = builder.objectRef<ExplanationShape>("ScoreExplanation").implement({
  description: "Why the account has its score, and what would change its tier.",
  fields: (t) => ({
    contributions: t.field({
      type: [Contribution],
      resolve: ({ set, explanation }) => explanation.contributions.map((entry) => ({ set, entry })),
    }),
    keyThreshold: t.float({
      nullable: true,
      description: "The score a key account needs today (TOP_N: the last selected account's score).",
      resolve: ({ explanation }) => explanation.keyThreshold,
    }),
    wouldBeKey: t.boolean({ resolve: ({ explanation }) => explanation.wouldBeKey }),
    liftToKey: t.field({
      type: [ScoreIncrease],
      description:
        "The fewest score points that reach the threshold, heaviest criteria first; empty when already key.",
      resolve: ({ set, explanation }) => explanation.liftToKey.map((entry) => ({ set, entry })),
    }),
    liftedScore: t.float({
      nullable: true,
      description: "The score after those increases.",
      resolve: ({ explanation }) => explanation.liftedScore,
    }),
    missingForCompleteness: t.field({
      type: [ScoringCriterion],
      description: "Unscored criteria to score (heaviest first) before the account can be selected.",
      resolve: ({ set, explanation }) =>
        explanation.missingForCompleteness.map((id) => criterionOf(set, id) as never),
    }),
    heldBackBy: t.field({
      type: [HoldingBack],
      description: "The criteria that hold the score back, the heaviest shortfall first.",
      resolve: ({ set, explanation }) => explanation.heldBackBy.map((entry) => ({ set, entry })),
    }),
    blockedBecause: t.field({
      type: BlockedBecauseEnum,
      nullable: true,
      resolve: ({ explanation }) => explanation.blockedBecause,
    }),
  }),
});

/**
 * Scores of the accounts a request shows, read together: a list of 50 accounts with their score
 * costs two statements (the set and one ranking), not a hundred.
 */
function accountScores(
  context: Context,
  criteriaSetId: string | number | null | undefined,
  asOf?: Date | null,
) {
  const setId = criteriaSetIdOf(criteriaSetId);
  const key = `accountScores:${setId ?? "active"}:${asOf?.toISOString() ?? "now"}`;
  return perRequestLoader<string, RankedShape | null>(context, key, async (accountIds) => {
    const [set, ranking] = await Promise.all([
      resolveCriteriaSet(context.db.prisma, setId),
      rankAccounts(context.db, setId, {
        accountIds,
        asOf,
        now: context.clock.now(),
        withCells: true,
        withTrend: true,
      }),
    ]);
    const byId = new Map(ranking.rows.map((ranked) => [ranked.accountId, ranked]));
    return accountIds.map((id) => {
      const ranked = byId.get(id);
      return ranked ? { set, ranked, keyThreshold: ranking.keyThreshold } : null;
    });
  });
}

const criteriaSetIdOf = (id: string | number | null | undefined) =>
  id ? decodeId(String(id), "CriteriaSet") : null;

/** The criteria set asked for (the active one by default), read once per request. */
async function criteriaSetFor(context: Context, id: string | number | null | undefined) {
  const setId = criteriaSetIdOf(id);
  return perRequest(context, `criteriaSet:${setId ?? "active"}`, () =>
    resolveCriteriaSet(context.db.prisma, setId),
  );
}

builder.prismaObjectFields("Account", (t) => ({
  score: t.field({
    type: AccountScoreRef,
    nullable: true,
    description:
      "The weighted score in a criteria set (the active one by default), as of now or a past instant; null for archived accounts.",
    args: { criteriaSetId: t.arg.id(), asOf: t.arg({ type: "DateTime" }) },
    resolve: (account, args, context) =>
      accountScores(context, args.criteriaSetId, args.asOf).load(account.id),
  }),
  scoreHistory: t.relatedConnection("scoreChanges", {
    description:
      "Every change of the account's scores, newest first; criterionKey narrows it to one criterion.",
    cursor: "id",
    totalCount: true,
    args: { criterionKey: t.arg.string() },
    query: (args) => ({
      where: args.criterionKey ? { criterion: { key: args.criterionKey } } : {},
      orderBy: [{ changedAt: "desc" }, { id: "desc" }],
    }),
  }),
  scores: t.relation("scores", {
    description: "The account's current scores on every criterion scored, in any set.",
  }),
  qualification: t.relation("qualification", {
    nullable: true,
    description: "Three P, for prospects.",
  }),
}));

builder.queryFields((t) => ({
  criteriaSets: t.prismaField({
    type: ["CriteriaSet"],
    description: "Every criteria set, the active one first.",
    authScopes: { readAccounts: true },
    resolve: (query, _root, _args, context) =>
      context.db.prisma.criteriaSet.findMany({ ...query, orderBy: [{ isActive: "desc" }, { name: "asc" }] }),
  }),
}));

const ScoreMatrixOrderField = builder.enumType("ScoreMatrixOrderField", {
  values: ["SCORE", "NAME", "COMPLETENESS", "CRITERION"] as const,
});

const ScoreMatrixOrder = builder.inputType("ScoreMatrixOrder", {
  fields: (t) => ({
    field: t.field({ type: ScoreMatrixOrderField, required: true, defaultValue: "SCORE" }),
    direction: t.field({ type: SortDirection, required: true, defaultValue: "DESC" }),
    criterionKey: t.string({ description: "With CRITERION: the criterion whose scores order the rows." }),
  }),
});

const ScoreMatrixRow = builder.objectRef<RankedShape>("ScoreMatrixRow").implement({
  interfaces: [RankedAccountInterface],
  description: "An account's row: its scores by column, total, rank and completeness.",
  fields: (t) => ({
    previousScore: t.float({
      nullable: true,
      description: `The score ${trendDays} days before (before asOf when given), 2 decimals.`,
      resolve: (row) => row.ranked.previousScore,
    }),
    trend: t.float({
      nullable: true,
      description: `Score minus the score ${trendDays} days before, 2 decimals; null when either is missing.`,
      resolve: (row) => row.ranked.trend,
    }),
    cells: t.field({
      type: [ScoreCellRef],
      description: "One cell per column, in column order.",
      resolve: (row) => cellsOf(row.set, row.ranked),
    }),
  }),
});

interface MatrixExtras {
  set: CriteriaSetWithCriteria;
  totalCount: number;
  keyThreshold: number | null;
  asOf: Date;
}

builder.queryField("scoreMatrix", (t) =>
  t.connection(
    {
      type: ScoreMatrixRow,
      complexity: analysisCost.scoreMatrix,
      description:
        "Accounts × criteria of a criteria set (the active one by default): scores, totals, ranks and completeness, best first. Ranks are among all accounts whatever the filter. One database round trip per page (two with a filter).",
      authScopes: { readAccounts: true },
      errors: { types: [NotFoundError, InvalidIdError, ValidationError, ForbiddenError] },
      args: {
        criteriaSetId: t.arg.id(),
        filter: t.arg({ type: AccountFilter }),
        orderBy: t.arg({ type: ScoreMatrixOrder }),
        asOf: t.arg({ type: "DateTime", description: "Scores as they stood then." }),
      },
      resolve: async (_root, args, context) => {
        if ((args.first ?? 0) > 500)
          throw new ValidationError([{ path: "first", message: "at most 500 rows a page" }]);
        const setId = criteriaSetIdOf(args.criteriaSetId);
        const order = args.orderBy ?? { field: "SCORE", direction: "DESC" };
        const accountIds = args.filter ? await filteredAccountIds(context, args.filter) : null;
        let extras: Omit<MatrixExtras, "set"> | undefined;
        // The set and the page are read at the same time: the ranking reads the set's rule itself.
        const [set, connection] = await Promise.all([
          criteriaSetFor(context, args.criteriaSetId),
          resolveOffsetConnection({ args }, async ({ limit, offset }) => {
            // The same page asked twice in one request (aliases) is ranked once.
            const page = JSON.stringify([setId, args.asOf, accountIds, order, limit, offset]);
            const ranking = await perRequest(context, `scoreMatrix:${page}`, () =>
              rankAccounts(context.db, setId, {
                asOf: args.asOf,
                now: context.clock.now(),
                accountIds,
                orderBy: {
                  field: order.field as RankingOrderField,
                  direction: order.direction as "ASC" | "DESC",
                  criterionKey: order.criterionKey,
                },
                limit,
                offset,
                withCells: true,
                withTrend: true,
              }),
            );
            extras = {
              totalCount: ranking.totalCount,
              keyThreshold: ranking.keyThreshold,
              asOf: ranking.asOf,
            };
            return ranking.rows;
          }),
        ]);
        if (
          order.field === "CRITERION" &&
          !set.weights.some((entry) => entry.criterion.key === order.criterionKey)
        ) {
          throw new ValidationError([
            { path: "orderBy.criterionKey", message: "name a criterion of the set" },
          ]);
        }
        const keyThreshold = extras?.keyThreshold ?? null;
        const edges = connection.edges.map((edge) => ({
          ...edge,
          node: { set, ranked: edge.node, keyThreshold },
        }));
        return { ...connection, edges, ...extras, set };
      },
    },
    {
      name: "ScoreMatrix",
      fields: (c) => ({
        criteriaSet: c.field({ type: CriteriaSet, resolve: (m) => (m as unknown as MatrixExtras).set }),
        columns: c.field({
          type: [WeightedCriterion],
          resolve: (m) => weightedCriteria((m as unknown as MatrixExtras).set),
        }),
        totalCount: c.int({ resolve: (m) => (m as unknown as MatrixExtras).totalCount ?? 0 }),
        keyThreshold: c.float({
          nullable: true,
          description: "The score a key account needs today under the set's rule.",
          resolve: (m) => (m as unknown as MatrixExtras).keyThreshold ?? null,
        }),
        asOf: c.field({
          type: "DateTime",
          resolve: (m, _args, context) => (m as unknown as MatrixExtras).asOf ?? context.clock.now(),
        }),
      }),
    },
  ),
);

/** The accounts a filter keeps, as IDs for the ranking statement. */
async function filteredAccountIds(context: Context, filter: AccountFilterArgs) {
  const rows = await context.db.prisma.account.findMany({
    where: await accountsWhere(filter, context),
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

const CandidateKindEnum = builder.enumType("KeyAccountChange", { values: ["ADD", "DROP"] as const });

const KeyAccountCandidate = builder
  .objectRef<RankedShape & { change: "ADD" | "DROP" }>("KeyAccountCandidate")
  .implement({
    interfaces: [RankedAccountInterface],
    description: "An account the set's rule would make key (ADD) or no longer key (DROP).",
    fields: (t) => ({
      change: t.field({ type: CandidateKindEnum, resolve: (c) => c.change }),
      reason: t.string({ resolve: (c) => candidateReason(c) }),
    }),
  });

function candidateReason({ set, ranked, keyThreshold, change }: RankedShape & { change: "ADD" | "DROP" }) {
  const score = ranked.score?.toFixed(2);
  const rule =
    set.keyAccountRule === "TOP_N"
      ? `the top ${set.keyAccountCount}`
      : `the threshold ${set.keyAccountThreshold}`;
  if (change === "ADD") return `Scores ${score}, rank ${ranked.rank}: within ${rule}.`;
  if (ranked.status === "LOST") return "The account is lost.";
  if (ranked.score === null) return "No criterion is scored.";
  if (ranked.completeness < set.minCompleteness - 1e-9) {
    return `Only ${Math.round(ranked.completeness * 100)}% of the weight is scored; the set asks for ${Math.round(set.minCompleteness * 100)}%.`;
  }
  return `Scores ${score}, rank ${ranked.rank}: outside ${rule}${keyThreshold !== null ? ` (${keyThreshold})` : ""}.`;
}

type CandidatesShape = {
  set: CriteriaSetWithCriteria;
  toAdd: RankedAccount[];
  toDrop: RankedAccount[];
  keyThreshold: number | null;
};

function candidateShape(candidates: CandidatesShape, ranked: RankedAccount): RankedShape {
  return { set: candidates.set, ranked, keyThreshold: candidates.keyThreshold };
}

const KeyAccountCandidatesRef = builder.objectRef<CandidatesShape>("KeyAccountCandidates").implement({
  description:
    "What the set's rule would change in today's key-account flags; confirmKeyAccounts applies it.",
  fields: (t) => ({
    criteriaSet: t.field({ type: CriteriaSet, resolve: (c) => c.set }),
    keyThreshold: t.float({ nullable: true, resolve: (c) => c.keyThreshold }),
    toAdd: t.field({
      type: [KeyAccountCandidate],
      resolve: (c) => c.toAdd.map((ranked) => ({ ...candidateShape(c, ranked), change: "ADD" as const })),
    }),
    toDrop: t.field({
      type: [KeyAccountCandidate],
      resolve: (c) => c.toDrop.map((ranked) => ({ ...candidateShape(c, ranked), change: "DROP" as const })),
    }),
  }),
});

builder.queryField("keyAccountCandidates", (t) =>
  t.field({
    type: KeyAccountCandidatesRef,
    complexity: analysisCost.keyAccountCandidates,
    description:
      "Accounts the rule of a criteria set (the active one by default) would add or drop as key accounts.",
    authScopes: { readAccounts: true },
    errors: { types: [NotFoundError, InvalidIdError, ForbiddenError], directResult: true },
    args: { criteriaSetId: t.arg.id() },
    resolve: async (_root, args, context) => {
      const set = await criteriaSetFor(context, args.criteriaSetId);
      const candidates = await perRequest(context, `keyAccountCandidates:${set.id}`, () =>
        keyAccountCandidates(context.db, set),
      );
      return { set, ...candidates };
    },
  }),
);

const RubricBandInput = builder.inputType("RubricBandInput", {
  fields: (t) => ({
    from: t.int({ required: true }),
    to: t.int({ required: true }),
    text: t.string({ required: true }),
  }),
});

const CriterionInput = builder.inputType("CriterionInput", {
  description:
    "A criterion of a set. A new key creates the criterion (label required); a known one is updated.",
  fields: (t) => ({
    key: t.string({ required: true }),
    label: t.string(),
    description: t.string(),
    weight: t.float({ required: true, description: "Positive." }),
    rubric: t.field({ type: [RubricBandInput] }),
  }),
});

const ruleInputFields = (
  t: PothosSchemaTypes.InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<never>, "InputObject">,
) => ({
  keyAccountRule: t.field({ type: KeyAccountRuleEnum as never }),
  keyAccountCount: t.int(),
  keyAccountThreshold: t.float({ description: "0-100" }),
  minCompleteness: t.float({ description: "0-1" }),
});

const CreateCriteriaSetInput = builder.inputType("CreateCriteriaSetInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    criteria: t.field({ type: [CriterionInput], required: true }),
    isActive: t.boolean(),
    ...ruleInputFields(t as never),
  }),
});

const UpdateCriteriaSetInput = builder.inputType("UpdateCriteriaSetInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    name: t.string(),
    description: t.string(),
    criteria: t.field({ type: [CriterionInput], description: "Replaces the set's criteria and weights." }),
    isActive: t.boolean({ description: "true makes this the active set." }),
    ...ruleInputFields(t as never),
  }),
});

const ScoreInput = builder.inputType("ScoreInput", {
  fields: (t) => ({
    accountId: t.id({ required: true }),
    criterionKey: t.string({ required: true }),
    value: t.int({ description: "1-10; null withdraws the score." }),
    evidence: t.string(),
    evidenceUrl: t.string(),
    version: t.int({
      description:
        "The cell's version you read (ScoreCell.version); when given, a cell changed since is refused with VersionConflictError.",
    }),
  }),
});

const SetScoresInput = builder.inputType("SetScoresInput", {
  fields: (t) => ({ scores: t.field({ type: [ScoreInput], required: true }) }),
});

const ConfirmKeyAccountsInput = builder.inputType("ConfirmKeyAccountsInput", {
  fields: (t) => ({
    criteriaSetId: t.id({
      description: "The set whose rule proposed the change; the active one by default.",
    }),
    add: t.idList({ description: "Candidates to make key." }),
    drop: t.idList({ description: "Candidates to make no longer key." }),
  }),
});

const QualifyProspectInput = builder.inputType("QualifyProspectInput", {
  fields: (t) => ({
    accountId: t.id({ required: true }),
    version: t.int({ description: "The qualification's version you read; leave out for the first one." }),
    need: t.field({ type: QualificationAnswerEnum }),
    needNote: t.string(),
    solvency: t.field({ type: QualificationAnswerEnum }),
    solvencyNote: t.string(),
    authority: t.field({ type: QualificationAnswerEnum }),
    authorityNote: t.string(),
  }),
});

const ScoresSet = builder
  .objectRef<{ scores: { accountId: string; criterionId: string }[]; changed: number }>("ScoresSet")
  .implement({
    description: "The scores after the change.",
    fields: (t) => ({
      changed: t.exposeInt("changed", {
        description: "How many scores changed (unchanged ones write nothing).",
      }),
      scores: t.field({
        type: [Score],
        description: "The current scores of the cells sent (withdrawn ones are absent).",
        resolve: (result) => result.scores as never,
      }),
    }),
  });

type ScoreArgs = { accountId: string | number; criterionKey: string; value?: number | null } & Record<
  string,
  unknown
>;

function scoreEntry(input: ScoreArgs) {
  return {
    accountId: decodeId(String(input.accountId), "Account"),
    criterionKey: input.criterionKey,
    value: input.value ?? null,
    evidence: input.evidence as string | null | undefined,
    evidenceUrl: input.evidenceUrl as string | null | undefined,
    version: input.version as number | null | undefined,
  };
}

builder.mutationFields((t) => ({
  createCriteriaSet: t.prismaField({
    type: "CriteriaSet",
    description: "Admins: a new criteria set (the first one is active).",
    args: { input: t.arg({ type: CreateCriteriaSetInput, required: true }) },
    errors: { types: accountWriteErrors },
    resolve: (_query, _root, { input }, context) =>
      createCriteriaSet(context.db.prisma, context.principal, input as never),
  }),
  updateCriteriaSet: t.prismaField({
    type: "CriteriaSet",
    description: "Admins: rename, reweigh, change the rule or activate a set. Ranks follow at once; audited.",
    args: { input: t.arg({ type: UpdateCriteriaSetInput, required: true }) },
    errors: { types: accountWriteErrors },
    resolve: (_query, _root, { input }, context) =>
      updateCriteriaSet(context.db.prisma, context.principal, {
        ...(input as never as Record<string, unknown>),
        id: decodeId(String(input.id), "CriteriaSet"),
      } as never),
  }),
  setScore: t.field({
    type: ScoresSet,
    description:
      "Scores one account on one criterion (1-10, with evidence), or withdraws the score (value null).",
    args: { input: t.arg({ type: ScoreInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: (_root, { input }, context) =>
      setScores(context.db.prisma, context.principal, [scoreEntry(input as ScoreArgs)], context.events),
  }),
  setScores: t.field({
    type: ScoresSet,
    description: "Up to 1000 scores at once, all or nothing.",
    args: { input: t.arg({ type: SetScoresInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: (_root, { input }, context) =>
      setScores(
        context.db.prisma,
        context.principal,
        input.scores.map((entry) => scoreEntry(entry as ScoreArgs)),
        context.events,
      ),
  }),
  confirmKeyAccounts: t.prismaField({
    type: ["Account"],
    description: "Admins: applies chosen keyAccountCandidates (each must still be one); audited per account.",
    args: { input: t.arg({ type: ConfirmKeyAccountsInput, required: true }) },
    errors: { types: writeErrors },
    resolve: async (_query, _root, { input }, context) => {
      const set = await criteriaSetFor(context, input.criteriaSetId);
      return confirmKeyAccounts(context.db, context.principal, set, {
        add: (input.add ?? []).map((id) => decodeId(String(id), "Account")),
        drop: (input.drop ?? []).map((id) => decodeId(String(id), "Account")),
      });
    },
  }),
  qualifyProspect: t.prismaField({
    type: "ProspectQualification",
    description: "Three P of a prospect: need, solvency, authority to decide (send only what changes).",
    args: { input: t.arg({ type: QualifyProspectInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: (_query, _root, { input }, context) =>
      qualifyProspect(context.db.prisma, context.principal, {
        ...(input as never as Record<string, unknown>),
        accountId: decodeId(String(input.accountId), "Account"),
      } as never),
  }),
}));

const ScoreChangedRef = builder.objectRef<ScoreChangedEvent>("ScoreChangedEvent").implement({
  description: "A score was set, changed or withdrawn, on any API instance.",
  fields: (t) => ({
    account: t.prismaField({
      type: Account,
      nullable: true,
      description: "The account; null if it was deleted since.",
      resolve: (query, event, _args, context) =>
        context.db.prisma.account.findUnique({ ...query, where: { id: event.accountId } }),
    }),
    accountId: t.id({ resolve: (event) => encodeGlobalID("Account", event.accountId) }),
    criterionKey: t.exposeString("criterionKey"),
    value: t.int({ nullable: true, resolve: (event) => event.value }),
    previous: t.int({ nullable: true, resolve: (event) => event.previous }),
    author: t.exposeString("authorLabel"),
    changedAt: t.field({ type: "DateTime", resolve: (event) => new Date(event.changedAt) }),
  }),
});

builder.subscriptionField("scoreChanged", (t) =>
  t.field({
    type: ScoreChangedRef,
    description:
      "Score changes as they happen (server-sent events), optionally for some accounts only; re-read scoreMatrix or account.score for the new totals.",
    authScopes: { readAccounts: true },
    args: { accountIds: t.arg.idList() },
    subscribe: (_root, args, context) => {
      const ids = args.accountIds
        ? new Set(args.accountIds.map((id) => decodeId(String(id), "Account")))
        : null;
      return pipe(
        context.events.scoreChanged(),
        filter((event: ScoreChangedEvent) => !ids || ids.has(event.accountId)),
      );
    },
    resolve: (event) => event,
  }),
);
