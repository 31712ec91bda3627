import type { GraphQLResolveInfo } from "graphql";
import {
  competitorKeyColumns,
  competitorPositions,
  competitorsById,
  competitorsOfAccounts,
  createCompetitor,
  isCompetitorRow,
  removeCompetitor,
  threatLevels,
  updateCompetitor,
} from "../api/services/competitors.ts";
import type { Competitor as CompetitorRow } from "../prisma/generated/sqlite/client.ts";
import { Account, accountOrThrow } from "./accounts.ts";
import { builder } from "./builder.ts";
import { readsColumns, selectedColumns } from "./columns.ts";
import { type Context, perRequestLoader } from "./context.ts";
import { dossierWriteErrors } from "./errors.ts";
import { decodeId } from "./ids.ts";

const CompetitorPositionEnum = builder.enumType("CompetitorPosition", { values: competitorPositions });
const ThreatLevelEnum = builder.enumType("ThreatLevel", { values: threatLevels });

/**
 * Read straight from the driver (api/services/competitors.ts), a batch per request: the fields
 * are the row's own, so a page's competitors cost one statement and no per-field lookups.
 */
export const Competitor = builder.objectRef<CompetitorRow>("Competitor");

builder.node(Competitor, {
  description: "Another supplier courting the account.",
  id: { resolve: (competitor) => competitor.id },
  // No scope check per field: every way here checks the right to read accounts first
  // (test/security/read-paths.test.ts walks them).
  loadMany: (ids, context) => competitorsById(context, ids),
  isTypeOf: (value) => isCompetitorRow(value),
  fields: (t) => ({
    account: t.field({
      type: Account,
      ...readsColumns("accountId"),
      resolve: (competitor, _args, context) => accountOrThrow(context, competitor.accountId),
    }),
    name: t.exposeString("name"),
    offering: t.exposeString("offering", { nullable: true, description: "What they sell to this client." }),
    position: t.expose("position", { type: CompetitorPositionEnum }),
    threatLevel: t.expose("threatLevel", { type: ThreatLevelEnum }),
    strengths: t.exposeString("strengths", { nullable: true }),
    weaknesses: t.exposeString("weaknesses", { nullable: true }),
    lastSeenAt: t.expose("lastSeenAt", { type: "DateTime", nullable: true }),
    version: t.exposeInt("version"),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

/** The competitors of the accounts a request shows, read together. */
export function competitorsOf(
  context: Context,
  accountId: string,
  info: GraphQLResolveInfo,
): Promise<CompetitorRow[]> {
  const columns = selectedColumns(info, "Competitor", competitorKeyColumns);
  return perRequestLoader<string, CompetitorRow[]>(context, `competitorsOfAccounts:${columns}`, (ids) =>
    competitorsOfAccounts(context, ids, columns),
  ).load(accountId);
}

const CreateCompetitorInput = builder.inputType("CreateCompetitorInput", {
  fields: (t) => ({
    accountId: t.id({ required: true }),
    name: t.string({ required: true }),
    offering: t.string(),
    position: t.field({ type: CompetitorPositionEnum, required: true }),
    threatLevel: t.field({ type: ThreatLevelEnum, required: true }),
    strengths: t.string(),
    weaknesses: t.string(),
    lastSeenAt: t.field({ type: "DateTime" }),
  }),
});

const UpdateCompetitorInput = builder.inputType("UpdateCompetitorInput", {
  description: "Only the fields sent change; null clears an optional field.",
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    name: t.string(),
    offering: t.string(),
    position: t.field({ type: CompetitorPositionEnum }),
    threatLevel: t.field({ type: ThreatLevelEnum }),
    strengths: t.string(),
    weaknesses: t.string(),
    lastSeenAt: t.field({ type: "DateTime" }),
  }),
});

const RemoveCompetitorInput = builder.inputType("RemoveCompetitorInput", {
  fields: (t) => ({ id: t.id({ required: true }), version: t.int({ required: true }) }),
});

builder.mutationFields((t) => ({
  createCompetitor: t.field({
    type: Competitor,
    args: { input: t.arg({ type: CreateCompetitorInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: (_root, { input }, context) =>
      createCompetitor(context, {
        ...input,
        accountId: decodeId(input.accountId, "Account"),
      }),
  }),
  updateCompetitor: t.field({
    type: Competitor,
    args: { input: t.arg({ type: UpdateCompetitorInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: (_root, { input }, context) =>
      updateCompetitor(context, {
        ...(input as Record<string, unknown>),
        id: decodeId(input.id, "Competitor"),
        version: input.version,
      }),
  }),
  removeCompetitor: t.field({
    type: "Boolean",
    args: { input: t.arg({ type: RemoveCompetitorInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: async (_root, { input }, context) => {
      await removeCompetitor(context, {
        id: decodeId(input.id, "Competitor"),
        version: input.version,
      });
      return true;
    },
  }),
}));
