/**
 * The scoring matrix: a page of a criteria set's ranking, with the set it was ranked under (its
 * columns, its rule). An order by a criterion the set does not weigh is refused before anything
 * is ranked.
 */
import { ValidationError } from "../errors.ts";
import type { SystemContext } from "./context.ts";
import type { CriteriaSetWithCriteria } from "./criteria-sets.ts";
import { type Ranking, type RankingOptions, rankAccounts } from "./score-ranking.ts";

export type MatrixOrder = NonNullable<RankingOptions["orderBy"]>;

export interface ScoreMatrixPage {
  set: CriteriaSetWithCriteria;
  ranking: Ranking;
}

/** Ordering by a criterion needs one the set weighs. */
export function checkMatrixOrder(set: CriteriaSetWithCriteria, order: MatrixOrder): void {
  if (
    order.field === "CRITERION" &&
    !set.weights.some((entry) => entry.criterion.key === order.criterionKey)
  ) {
    throw new ValidationError([{ path: "orderBy.criterionKey", message: "name a criterion of the set" }]);
  }
}

/**
 * One page of the matrix. The set is read at the same time as the ranking (which reads the set's
 * rule itself), except when a criterion orders the page: then the set is read first, to refuse a
 * criterion it does not weigh without ranking anything.
 */
export async function scoreMatrixPage(
  context: SystemContext,
  setId: string | null,
  loadSet: () => Promise<CriteriaSetWithCriteria>,
  options: RankingOptions & { orderBy: MatrixOrder },
): Promise<ScoreMatrixPage> {
  if (options.orderBy.field === "CRITERION") {
    const set = await loadSet();
    checkMatrixOrder(set, options.orderBy);
    return { set, ranking: await rankAccounts(context, setId, options) };
  }
  const [set, ranking] = await Promise.all([loadSet(), rankAccounts(context, setId, options)]);
  return { set, ranking };
}
