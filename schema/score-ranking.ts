/** The RankedAccount interface every view of a criteria set's ranking shares (api/services/score-ranking.ts). */
import { NotFoundError } from "../api/errors.ts";
import type { AccountScore } from "../api/services/score-ranking.ts";
import type { Account as AccountRow } from "../prisma/generated/sqlite/client.ts";
import { builder } from "./builder.ts";
import { type Context, perRequestLoader } from "./context.ts";

export type RankedShape = AccountScore;

/**
 * The accounts of the rows a request shows, read in one statement with the columns and
 * relations the request's selection asks for (the same for every row of a field).
 */
function shownAccount(context: Context, query: object, accountId: string) {
  return perRequestLoader<string, AccountRow>(
    context,
    `shownAccounts:${JSON.stringify(query)}`,
    async (ids) => {
      const accounts = await context.db.prisma.account.findMany({
        ...query,
        where: { id: { in: [...ids] } },
      });
      const byId = new Map(accounts.map((account) => [account.id, account]));
      return ids.map((id) => byId.get(id) ?? new NotFoundError("Account", id));
    },
  ).load(accountId);
}

/** The numbers every view of a ranked account shares. */
export const RankedAccountInterface = builder.interfaceRef<RankedShape>("RankedAccount").implement({
  description: "An account's place in a criteria set's ranking.",
  fields: (t) => ({
    account: t.prismaField({
      type: "Account",
      description: "The account (loaded only when asked for).",
      resolve: (query, row, _args, context) => shownAccount(context, query, row.ranked.accountId),
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
