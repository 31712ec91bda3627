import {
  type AccountRisk,
  accountIdsWithStatus,
  assessAccountRisks,
  computeChurn,
  type RiskStatus,
} from "../api/services/churn.ts";
import {
  createWinBackAction,
  removeWinBackAction,
  updateWinBackAction,
  winBackActionKinds,
  winBackOutcomes,
} from "../api/services/win-back.ts";
import { Account, accountOrThrow, accountsPage, relatedOf } from "./accounts.ts";
import { builder } from "./builder.ts";
import { type Context, perRequest, perRequestLoader } from "./context.ts";
import { dossierWriteErrors } from "./errors.ts";
import { decodeId, decodeOptionalId } from "./ids.ts";
import { User, userById } from "./users.ts";

const RiskStatusEnum = builder.enumType("RiskStatus", {
  description:
    "ACTIVE_BUYER buys as usual; AT_RISK has gone quiet for long or spends much less; LOST has not bought for the lost-after months; NO_PURCHASES never bought.",
  values: ["ACTIVE_BUYER", "AT_RISK", "LOST", "NO_PURCHASES"] as const,
});
const RiskReasonKindEnum = builder.enumType("RiskReasonKind", {
  values: ["LONG_SILENCE", "REVENUE_DROP"] as const,
});
const WinBackActionKindEnum = builder.enumType("WinBackActionKind", { values: winBackActionKinds });
const WinBackOutcomeEnum = builder.enumType("WinBackOutcome", { values: winBackOutcomes });

/** Every account's risk, computed once per request. */
export function churnFor(context: Context) {
  return perRequest(context, "churn", () => computeChurn(context));
}

/**
 * An account's risk: from the whole analysis when the request computes it anyway, otherwise from
 * the lines of the accounts the request shows, read together.
 */
function accountRisk(context: Context, accountId: string) {
  if (context.requestCache.has("churn")) {
    return churnFor(context).then((analysis) => analysis.risks.get(accountId) ?? null);
  }
  return perRequestLoader<string, AccountRisk | null>(context, "accountRisks", async (ids) => {
    const { risks } = await assessAccountRisks(context, ids);
    return ids.map((id) => risks.get(id) ?? null);
  }).load(accountId);
}

const RiskReason = builder.objectRef<AccountRisk["reasons"][number]>("RiskReason").implement({
  description: "Why an account is at risk or lost, with the numbers behind it.",
  fields: (t) => ({
    kind: t.field({ type: RiskReasonKindEnum, resolve: (reason) => reason.kind }),
    text: t.exposeString("text"),
  }),
});

const AccountRiskRef = builder.objectRef<AccountRisk>("AccountRisk").implement({
  description:
    "At risk: silence longer than both atRiskSilenceFloorDays and atRiskGapMultiplier × the median gap between purchase days, or revenue of the last 3 complete months down by more than atRiskRevenueDropPercent against the same months a year before. Lost: no purchase for lostAfterMonths months.",
  fields: (t) => ({
    status: t.field({ type: RiskStatusEnum, resolve: (risk) => risk.status }),
    lastPurchaseAt: t.expose("lastPurchaseAt", {
      type: "DateTime",
      nullable: true,
      description: "The day of the last invoice (midnight UTC).",
    }),
    silenceDays: t.exposeInt("silenceDays", { nullable: true, description: "Days since the last invoice." }),
    medianGapDays: t.exposeFloat("medianGapDays", {
      nullable: true,
      description: "Median days between consecutive purchase days; null with fewer than two.",
    }),
    recentRevenue: t.exposeFloat("recentRevenue", {
      description: "Revenue of the last 3 complete months, to the cent.",
    }),
    yearBeforeRevenue: t.exposeFloat("yearBeforeRevenue", {
      description: "Revenue of the same 3 months a year before, to the cent.",
    }),
    revenueDropPercent: t.exposeFloat("revenueDropPercent", {
      nullable: true,
      description:
        "Fall from the year before, in percent, 2 decimals (negative is growth); null when the year before had none. The rule compares the exact value.",
    }),
    reasons: t.field({ type: [RiskReason], resolve: (risk) => risk.reasons }),
  }),
});

export const WinBackAction = builder.prismaNode("WinBackAction", {
  description:
    "A planned action to win a lost or at-risk client back (offer, discount, gift, meeting…) and how it went.",
  id: { field: "id" },
  nullable: true,
  authScopes: { readAccounts: true },
  fields: (t) => ({
    account: t.field({
      type: Account,
      resolve: (action, _args, context) => accountOrThrow(context, action.accountId),
    }),
    kind: t.expose("kind", { type: WinBackActionKindEnum }),
    description: t.exposeString("description", { nullable: true }),
    plannedFor: t.expose("plannedFor", { type: "DateTime" }),
    assignee: t.field({
      type: User,
      nullable: true,
      description: "Who carries it out.",
      resolve: (action, _args, context) => (action.assigneeId ? userById(context, action.assigneeId) : null),
    }),
    outcome: t.expose("outcome", { type: WinBackOutcomeEnum }),
    outcomeNote: t.exposeString("outcomeNote", { nullable: true }),
    completedAt: t.expose("completedAt", { type: "DateTime", nullable: true }),
    version: t.exposeInt("version"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

builder.objectField(Account, "risk", (t) =>
  t.field({
    type: AccountRiskRef,
    nullable: true,
    description: "Whether the client is drifting away, and why; null for an archived account.",
    resolve: (account, _args, context) => accountRisk(context, account.id),
  }),
);

builder.objectField(Account, "winBackActions", (t) =>
  t.prismaField({
    type: [WinBackAction],
    description: "Win-back actions, by planned date; only those with the given outcomes when asked.",
    args: { outcomes: t.arg({ type: [WinBackOutcomeEnum] }) },
    resolve: async (query, account, args, context) =>
      (await relatedOf(context, account.id).winBackActions({
        ...query,
        where: args.outcomes?.length ? { outcome: { in: args.outcomes } } : {},
        orderBy: [{ plannedFor: "asc" }, { id: "asc" }],
      })) ?? [],
  }),
);

/** The accounts with one of the statuses, from the request's analysis. */
async function idsWithStatus(context: Context, statuses: RiskStatus[]): Promise<string[]> {
  return accountIdsWithStatus(await churnFor(context), statuses);
}

/** Connections of the accounts with one of the statuses, ordered by name. */

const listings: [string, RiskStatus[], string][] = [
  [
    "atRiskAccounts",
    ["AT_RISK"],
    "Accounts at risk (not lost), ordered by name; each account's `risk` says why.",
  ],
  ["lostAccounts", ["LOST"], "Lost accounts, ordered by name; `risk` gives the silence."],
  [
    "winBackList",
    ["LOST", "AT_RISK"],
    "Lost and at-risk accounts to win back, ordered by name; select `risk` and `winBackActions(outcomes: [PLANNED])` for the plan.",
  ],
];

for (const [name, statuses, description] of listings) {
  builder.queryField(name, (t) =>
    t.connection(
      {
        type: Account,
        description,
        authScopes: { readAccounts: true },
        resolve: (_parent, args, context, info) =>
          accountsPage(
            context,
            info,
            args,
            async () => ({ id: { in: await idsWithStatus(context, statuses) } }),
            [{ sortName: "asc" }, { id: "asc" }],
            async () => (await idsWithStatus(context, statuses)).length,
          ),
      },
      { fields: (c) => ({ totalCount: c.int({ resolve: (connection) => connection.totalCount() }) }) },
    ),
  );
}

const CreateWinBackActionInput = builder.inputType("CreateWinBackActionInput", {
  fields: (t) => ({
    accountId: t.id({ required: true }),
    kind: t.field({ type: WinBackActionKindEnum, required: true }),
    description: t.string(),
    plannedFor: t.field({ type: "DateTime", required: true }),
    assigneeId: t.id({ description: "Global ID of the user who carries it out (a manager or an admin)." }),
  }),
});

const UpdateWinBackActionInput = builder.inputType("UpdateWinBackActionInput", {
  description:
    "Only the fields sent change; null clears an optional field. An outcome other than PLANNED without completedAt is completed now; PLANNED clears completedAt.",
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    kind: t.field({ type: WinBackActionKindEnum }),
    description: t.string(),
    plannedFor: t.field({ type: "DateTime" }),
    assigneeId: t.id(),
    outcome: t.field({ type: WinBackOutcomeEnum }),
    outcomeNote: t.string(),
    completedAt: t.field({ type: "DateTime" }),
  }),
});

const RemoveWinBackActionInput = builder.inputType("RemoveWinBackActionInput", {
  fields: (t) => ({ id: t.id({ required: true }), version: t.int({ required: true }) }),
});

builder.mutationFields((t) => ({
  createWinBackAction: t.field({
    type: WinBackAction,
    args: { input: t.arg({ type: CreateWinBackActionInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: (_root, { input }, context) =>
      createWinBackAction(context, {
        ...input,
        accountId: decodeId(input.accountId, "Account"),
        assigneeId: decodeOptionalId(input.assigneeId, "User"),
      }),
  }),
  updateWinBackAction: t.field({
    type: WinBackAction,
    args: { input: t.arg({ type: UpdateWinBackActionInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: (_root, { input }, context) =>
      updateWinBackAction(context, {
        ...(input as Record<string, unknown>),
        id: decodeId(input.id, "WinBackAction"),
        version: input.version,
        assigneeId: decodeOptionalId(input.assigneeId, "User"),
      }),
  }),
  removeWinBackAction: t.field({
    type: "Boolean",
    args: { input: t.arg({ type: RemoveWinBackActionInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: async (_root, { input }, context) => {
      await removeWinBackAction(context, {
        id: decodeId(input.id, "WinBackAction"),
        version: input.version,
      });
      return true;
    },
  }),
}));
