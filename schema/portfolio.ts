import { type ClientType as ClientTypeValue, computeClientTypes } from "../api/services/client-types.ts";
import {
  type AccountGrowth as AccountGrowthValue,
  type Concentration as ConcentrationValue,
  computeConcentration,
  computeGrowth,
  computeWorkload,
  type GrowthComparison as GrowthComparisonValue,
  type ManagerWorkload as ManagerWorkloadValue,
  type ParetoPoint as ParetoPointValue,
  type PeriodSales,
} from "../api/services/portfolio.ts";
import type { User as UserRow } from "../prisma/generated/sqlite/client.ts";
import { Account } from "./accounts.ts";
import { builder } from "./builder.ts";
import { readsColumns } from "./columns.ts";
import { analysisCost } from "./complexity.ts";
import { type Context, perRequest, perRequestLoader } from "./context.ts";
import { SegmentWindow } from "./segments.ts";
import { User } from "./users.ts";

export const ClientTypeKindEnum = builder.enumType("ClientTypeKind", {
  values: {
    BREADWINNER: { description: "Brings 10% or more of the gross margin over the segment window." },
    PROSPECT: { description: "No sales yet, or new (created within the window) with a budget." },
    IMAGE_MAKER: { description: "A well-known leader of its sector or region (set by people)." },
    EXPERT: { description: "Demanding, knows the market (set by people)." },
  } as const,
});

const ClientType = builder
  .objectRef<{ type: "BREADWINNER" | "PROSPECT" | "IMAGE_MAKER" | "EXPERT"; reason: string }>("ClientType")
  .implement({
    description: "One client type of an account, with why it applies.",
    fields: (t) => ({
      type: t.field({ type: ClientTypeKindEnum, resolve: (clientType) => clientType.type }),
      reason: t.exposeString("reason"),
    }),
  });

const SalesPeriod = builder.objectRef<PeriodSales>("SalesPeriod").implement({
  description: "Revenue and gross margin over a run of complete months, net of credit notes.",
  fields: (t) => ({
    from: t.exposeString("from", { description: "First month, YYYY-MM." }),
    to: t.exposeString("to", { description: "Last month, YYYY-MM." }),
    revenue: t.exposeFloat("revenue", { description: "To the cent." }),
    margin: t.exposeFloat("margin", { description: "To the cent." }),
  }),
});

const GrowthComparison = builder.objectRef<GrowthComparisonValue>("GrowthComparison").implement({
  description:
    "A period against an earlier one; changes in percent (2 decimals), null when the earlier value is 0.",
  fields: (t) => ({
    current: t.field({ type: SalesPeriod, resolve: (comparison) => comparison.current }),
    previous: t.field({ type: SalesPeriod, resolve: (comparison) => comparison.previous }),
    revenueChangePercent: t.exposeFloat("revenueChangePercent", { nullable: true }),
    marginChangePercent: t.exposeFloat("marginChangePercent", { nullable: true }),
  }),
});

const AccountGrowth = builder.objectRef<AccountGrowthValue>("AccountGrowth").implement({
  description: "How an account's purchases move, over complete months only.",
  fields: (t) => ({
    twelveMonths: t.field({
      type: GrowthComparison,
      description: "The last 12 complete months against the 12 before them.",
      resolve: (growth) => growth.twelveMonths,
    }),
    threeMonths: t.field({
      type: GrowthComparison,
      description: "The last 3 complete months against the same 3 months a year before.",
      resolve: (growth) => growth.threeMonths,
    }),
  }),
});

const ConcentrationAlertEnum = builder.enumType("ConcentrationAlert", {
  values: {
    MONO_DEPENDENCY: { description: "Key accounts make more than 75% of revenue." },
  } as const,
});

const ParetoPoint = builder.objectRef<ParetoPointValue>("ParetoPoint").implement({
  description: "One account on the Pareto curve, largest first.",
  fields: (t) => ({
    rank: t.exposeInt("rank"),
    account: t.field({
      type: Account,
      resolve: async (point, _args, context) => {
        const account = (await paretoAccounts(context)).get(point.accountId);
        if (!account) throw new Error(`Account ${point.accountId} left the curve during the request.`);
        return account;
      },
    }),
    revenue: t.exposeFloat("revenue", { description: "Revenue over the window, to the cent." }),
    cumulativeAccountShare: t.exposeFloat("cumulativeAccountShare", {
      description: "This rank over the number of accounts on the curve, 0-1, 4 decimals.",
    }),
    cumulativeRevenueShare: t.exposeFloat("cumulativeRevenueShare", {
      description: "Revenue of this account and those above it, over the total, 0-1, 4 decimals.",
    }),
  }),
});

const Concentration = builder.objectRef<ConcentrationValue>("Concentration").implement({
  description:
    "How revenue over the segment window spreads over the accounts that bought (Pareto), and how much of it the key accounts make.",
  fields: (t) => ({
    window: t.field({ type: SegmentWindow, resolve: (value) => value.window }),
    totalRevenue: t.exposeFloat("totalRevenue", { description: "To the cent." }),
    accountCount: t.exposeInt("accountCount", { description: "Accounts with revenue in the window." }),
    points: t.field({ type: [ParetoPoint], resolve: (value) => value.points }),
    topShare: t.exposeFloat("topShare", {
      description: "Share of revenue from the top 20% of accounts, read off the curve.",
    }),
    keyAccountRevenue: t.exposeFloat("keyAccountRevenue", { description: "To the cent." }),
    keyAccountShare: t.exposeFloat("keyAccountShare", { description: "0-1, 4 decimals; usually 0.30-0.55." }),
    alert: t.field({ type: ConcentrationAlertEnum, nullable: true, resolve: (value) => value.alert }),
    note: t.exposeString("note", { nullable: true }),
  }),
});

const ManagerWorkload = builder.objectRef<ManagerWorkloadValue<UserRow>>("ManagerWorkload").implement({
  description: "How many accounts a manager carries against the key-account cap.",
  fields: (t) => ({
    manager: t.field({ type: User, resolve: (load) => load.manager }),
    keyAccountCount: t.exposeInt("keyAccountCount"),
    accountCount: t.exposeInt("accountCount", { description: "Active accounts owned, key or not." }),
    cap: t.exposeInt("cap", { description: "The keyAccountCap setting." }),
    overCap: t.exposeBoolean("overCap"),
    warning: t.exposeString("warning", { nullable: true }),
  }),
});

/** The accounts on the curve, loaded in one query for all points. */
function paretoAccounts(context: Context) {
  return perRequest(context, "concentration.accounts", async () => {
    const { points } = await concentrationFor(context);
    const rows = await context.db.prisma.account.findMany({
      where: { id: { in: points.map((point) => point.accountId) } },
    });
    return new Map(rows.map((row) => [row.id, row]));
  });
}

function concentrationFor(context: Context) {
  return perRequest(context, "concentration", () => computeConcentration(context));
}

/** The client types of the accounts a request shows, read together. */
function clientTypesOf(context: Context, accountId: string) {
  return perRequestLoader<string, ClientTypeValue[]>(context, "clientTypes", async (ids) => {
    const { byAccount } = await computeClientTypes(context, ids);
    return ids.map((id) => byAccount.get(id) ?? []);
  }).load(accountId);
}

/** The growth of the accounts a request shows, read together. */
function growthOf(context: Context, accountId: string) {
  return perRequestLoader<string, AccountGrowthValue>(context, "growth", async (ids) => {
    const growth = await computeGrowth(context, ids);
    return ids.map((id) => growth.byAccount.get(id) ?? growth.none);
  }).load(accountId);
}

builder.objectFields(Account, (t) => ({
  clientTypes: t.field({
    type: [ClientType],
    description:
      "Breadwinner, prospect, image-maker, expert, each with its reason; empty for an archived account.",
    resolve: (account, _args, context) => clientTypesOf(context, account.id),
  }),
  growth: t.field({
    type: AccountGrowth,
    nullable: true,
    description: "Revenue and margin growth over complete months; null for an archived account.",
    ...readsColumns("archivedAt"),
    resolve: async (account, _args, context) => {
      if (account.archivedAt) return null;
      return growthOf(context, account.id);
    },
  }),
}));

builder.queryFields((t) => ({
  concentration: t.field({
    type: Concentration,
    complexity: analysisCost.concentration,
    authScopes: { readAccounts: true },
    description: "Pareto curve, top-20% share and key-account share of revenue over the segment window.",
    resolve: (_root, _args, context) => concentrationFor(context),
  }),
  workload: t.field({
    type: [ManagerWorkload],
    complexity: analysisCost.workload,
    authScopes: { readAccounts: true },
    description:
      "Per manager (and anyone else who owns key accounts): accounts carried against the key-account cap, over the cap first.",
    resolve: (_root, _args, context) => perRequest(context, "workload", () => computeWorkload(context)),
  }),
}));
