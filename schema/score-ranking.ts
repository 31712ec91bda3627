/** The RankedAccount interface every view of a criteria set's ranking shares (api/services/score-ranking.ts). */
import type { AccountScore } from "../api/services/score-ranking.ts";
import { Account, accountOrThrow } from "./accounts.ts";
import { builder } from "./builder.ts";

export type RankedShape = AccountScore;

/** The numbers every view of a ranked account shares. */
export const RankedAccountInterface = builder.interfaceRef<RankedShape>("RankedAccount").implement({
  description: "An account's place in a criteria set's ranking.",
  fields: (t) => ({
    account: t.field({
      type: Account,
      description: "The account (loaded only when asked for).",
      resolve: (row, _args, context) => accountOrThrow(context, row.ranked.accountId),
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
