/**
 * Why an account has its score, and what would change its tier. Pure arithmetic over the account's
 * criterion scores and the set's weights, with the same rounding as the database (score-ranking.ts).
 */
import { percent, share } from "../precision.ts";
import type { CriteriaSetWithCriteria } from "./criteria-sets.ts";
import { type RankedAccount, weightedScore } from "./score-ranking.ts";

export interface CriterionContribution {
  criterionId: string;
  weight: number;
  /** The criterion's share of the set's total weight, 0-1. */
  weightShare: number;
  value: number | null;
  /** Points of the 0-100 score this criterion brings; null when unscored. */
  points: number | null;
}

export interface ScoreIncrease {
  criterionId: string;
  from: number;
  to: number;
}

export interface HoldingBack {
  criterionId: string;
  value: number | null;
  /** Weight × how far the score is below the level the threshold asks for (unscored: the weight). */
  shortfall: number;
}

export interface ScoreExplanation {
  contributions: CriterionContribution[];
  keyThreshold: number | null;
  wouldBeKey: boolean;
  /** The fewest score points that lift the score to the threshold, largest weights first. */
  liftToKey: ScoreIncrease[];
  /** The score those increases give. */
  liftedScore: number | null;
  /** Unscored criteria, largest weights first, to score before the account can be selected at all. */
  missingForCompleteness: string[];
  /** Criteria below the level the threshold asks for, and unscored ones, the heaviest first. */
  heldBackBy: HoldingBack[];
  /** Why the rule cannot select the account whatever its scores, if so. */
  blockedBecause: "LOST" | "NOT_SCORED" | null;
}

export function explainScore(
  set: CriteriaSetWithCriteria,
  account: RankedAccount,
  keyThreshold: number | null,
) {
  const totalWeight = set.weights.reduce((sum, entry) => sum + entry.weight, 0);
  const scoreByCriterion = new Map(account.cells.map((cell) => [cell.criterionId, cell.value]));
  const scored = set.weights.filter((entry) => scoreByCriterion.has(entry.criterionId));
  const scoredWeight = scored.reduce((sum, entry) => sum + entry.weight, 0);
  const contributions: CriterionContribution[] = set.weights.map((entry) => {
    const value = scoreByCriterion.get(entry.criterionId) ?? null;
    return {
      criterionId: entry.criterionId,
      weight: entry.weight,
      weightShare: share(entry.weight / totalWeight),
      value,
      points:
        value === null
          ? null
          : Math.round(((entry.weight * (value - 1) * 100) / 9 / scoredWeight) * 100) / 100,
    };
  });

  const missingForCompleteness: string[] = [];
  let completeWeight = scoredWeight;
  for (const entry of [...set.weights].sort((a, b) => b.weight - a.weight || a.position - b.position)) {
    if (completeWeight / totalWeight >= set.minCompleteness - 1e-9) break;
    if (scoreByCriterion.has(entry.criterionId)) continue;
    missingForCompleteness.push(entry.criterionId);
    completeWeight += entry.weight;
  }

  const target = keyThreshold ?? 0;
  const level = 1 + (9 * target) / 100;
  const heldBackBy: HoldingBack[] = set.weights
    .flatMap((entry): HoldingBack[] => {
      const value = scoreByCriterion.get(entry.criterionId) ?? null;
      if (value === null)
        return [{ criterionId: entry.criterionId, value, shortfall: percent(entry.weight) }];
      return value < level
        ? [{ criterionId: entry.criterionId, value, shortfall: percent(entry.weight * (level - value)) }]
        : [];
    })
    .sort((a, b) => b.shortfall - a.shortfall);

  const liftToKey: ScoreIncrease[] = [];
  let liftedScore: number | null = null;
  const blockedBecause = account.status === "LOST" ? "LOST" : scored.length === 0 ? "NOT_SCORED" : null;
  if (!account.wouldBeKey && blockedBecause === null) {
    const raised = new Map(
      scored.map((entry) => [entry.criterionId, scoreByCriterion.get(entry.criterionId) as number]),
    );
    let weighted = scored.reduce(
      (sum, entry) => sum + entry.weight * (scoreByCriterion.get(entry.criterionId) as number),
      0,
    );
    const byWeight = [...scored].sort((a, b) => b.weight - a.weight || a.position - b.position);
    while ((weightedScore(weighted, scoredWeight) ?? 0) < target) {
      const next = byWeight.find((entry) => (raised.get(entry.criterionId) ?? 10) < 10);
      if (!next) break;
      raised.set(next.criterionId, (raised.get(next.criterionId) ?? 0) + 1);
      weighted += next.weight;
    }
    for (const entry of byWeight) {
      const from = scoreByCriterion.get(entry.criterionId) as number;
      const to = raised.get(entry.criterionId) as number;
      if (to > from) liftToKey.push({ criterionId: entry.criterionId, from, to });
    }
    liftedScore = weightedScore(weighted, scoredWeight);
  }

  return {
    contributions,
    keyThreshold,
    wouldBeKey: account.wouldBeKey,
    liftToKey,
    liftedScore,
    missingForCompleteness,
    heldBackBy,
    blockedBecause,
  } satisfies ScoreExplanation;
}
