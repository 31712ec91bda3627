/** An account's score in a criteria set and why it has it (api/services/score-explanation.ts). */
import type { CriteriaSetWithCriteria } from "../api/services/criteria-sets.ts";
import { explainScore, type ScoreExplanation } from "../api/services/score-explanation.ts";
import { scoresOfAccounts, trendDays } from "../api/services/score-ranking.ts";
import { Account } from "./accounts.ts";
import { builder } from "./builder.ts";
import { type Context, perRequestLoader } from "./context.ts";
import { CriteriaSet, criteriaSetIdOf, ScoringCriterion } from "./criteria-sets.ts";
import { RankedAccountInterface, type RankedShape } from "./score-ranking.ts";
import { cellsOf, ScoreCellRef } from "./scores.ts";

/** The explanation names only criteria of the set it explains, so the criterion is always there. */
function criterionOf(set: CriteriaSetWithCriteria, criterionId: string) {
  const criterion = set.weights.find((entry) => entry.criterionId === criterionId)?.criterion;
  if (!criterion) throw new Error(`Criterion ${criterionId} is not in criteria set ${set.id}`);
  return criterion;
}

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
        resolve: (c) => criterionOf(c.set, c.entry.criterionId),
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
        resolve: (c) => criterionOf(c.set, c.entry.criterionId),
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
        resolve: (c) => criterionOf(c.set, c.entry.criterionId),
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
      resolve: ({ set, explanation }) => explanation.missingForCompleteness.map((id) => criterionOf(set, id)),
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
  return perRequestLoader<string, RankedShape | null>(context, key, (accountIds) =>
    scoresOfAccounts(context, setId, accountIds, asOf),
  );
}

builder.objectFields(Account, (t) => ({
  score: t.field({
    type: AccountScoreRef,
    nullable: true,
    description:
      "The weighted score in a criteria set (the active one by default), as of now or a past instant; null for archived accounts.",
    args: { criteriaSetId: t.arg.id(), asOf: t.arg({ type: "DateTime" }) },
    resolve: (account, args, context) =>
      accountScores(context, args.criteriaSetId, args.asOf).load(account.id),
  }),
}));
