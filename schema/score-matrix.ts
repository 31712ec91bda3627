/** The score matrix: accounts × criteria of a criteria set, ranked (api/services/score-ranking.ts). */
import { resolveOffsetConnection } from "@pothos/plugin-relay";
import { ForbiddenError, InvalidIdError, NotFoundError, ValidationError } from "../api/errors.ts";
import { type ScoreMatrixPage, scoreMatrixPage } from "../api/services/score-matrix.ts";
import { trendDays } from "../api/services/score-ranking.ts";
import { AccountFilter, type AccountFilterArgs, accountsWhereFor, SortDirection } from "./accounts.ts";
import { builder } from "./builder.ts";
import { analysisCost } from "./complexity.ts";
import { type Context, perRequest } from "./context.ts";
import {
  CriteriaSet,
  criteriaSetFor,
  criteriaSetIdOf,
  WeightedCriterion,
  weightedCriteria,
} from "./criteria-sets.ts";
import { RankedAccountInterface, type RankedShape } from "./score-ranking.ts";
import { cellsOf, ScoreCellRef } from "./scores.ts";

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

const defaultOrder: typeof ScoreMatrixOrder.$inferInput = { field: "SCORE", direction: "DESC" };

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

/** The accounts a filter keeps, as IDs for the ranking statement. */
async function filteredAccountIds(context: Context, filter: AccountFilterArgs) {
  const rows = await context.db.prisma.account.findMany({
    where: await accountsWhereFor(filter, context),
    select: { id: true },
  });
  return rows.map((row) => row.id);
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
        const setId = criteriaSetIdOf(args.criteriaSetId);
        const order = args.orderBy ?? defaultOrder;
        const accountIds = args.filter ? await filteredAccountIds(context, args.filter) : null;
        const loadSet = () => criteriaSetFor(context, args.criteriaSetId);
        // Filled in by the page: its set and totals go beside the connection's edges.
        const page: { matrix?: ScoreMatrixPage } = {};
        const connection = await resolveOffsetConnection({ args }, async ({ limit, offset }) => {
          // The same page asked twice in one request (aliases) is ranked once.
          const key = JSON.stringify([setId, args.asOf, accountIds, order, limit, offset]);
          page.matrix = await perRequest(context, `scoreMatrix:${key}`, () =>
            scoreMatrixPage(context, setId, loadSet, {
              asOf: args.asOf,
              now: context.clock.now(),
              accountIds,
              orderBy: order,
              limit,
              offset,
              withCells: true,
              withTrend: true,
            }),
          );
          return page.matrix.ranking.rows;
        });
        const set = page.matrix?.set ?? (await loadSet());
        const ranking = page.matrix?.ranking;
        const keyThreshold = ranking?.keyThreshold ?? null;
        const edges = connection.edges.map((edge) => ({
          ...edge,
          node: { set, ranked: edge.node, keyThreshold },
        }));
        return {
          ...connection,
          edges,
          set,
          totalCount: ranking?.totalCount ?? 0,
          keyThreshold,
          asOf: ranking?.asOf ?? context.clock.now(),
        };
      },
    },
    {
      name: "ScoreMatrix",
      fields: (c) => ({
        criteriaSet: c.field({ type: CriteriaSet, resolve: (matrix) => matrix.set }),
        columns: c.field({ type: [WeightedCriterion], resolve: (matrix) => weightedCriteria(matrix.set) }),
        totalCount: c.int({ resolve: (matrix) => matrix.totalCount }),
        keyThreshold: c.float({
          nullable: true,
          description: "The score a key account needs today under the set's rule.",
          resolve: (matrix) => matrix.keyThreshold,
        }),
        asOf: c.field({ type: "DateTime", resolve: (matrix) => matrix.asOf }),
      }),
    },
  ),
);
