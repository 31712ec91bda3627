import {
  competitorPositions,
  createCompetitor,
  removeCompetitor,
  threatLevels,
  updateCompetitor,
} from "../api/services/competitors.ts";
import { builder } from "./builder.ts";
import { dossierWriteErrors } from "./errors.ts";
import { decodeId } from "./ids.ts";

const CompetitorPositionEnum = builder.enumType("CompetitorPosition", { values: competitorPositions });
const ThreatLevelEnum = builder.enumType("ThreatLevel", { values: threatLevels });

export const Competitor = builder.prismaNode("Competitor", {
  description: "Another supplier courting the account.",
  id: { field: "id" },
  // Select mode: a request reads only the columns its fields need (each field says which).
  select: { id: true },
  nullable: true,
  authScopes: { readAccounts: true },
  fields: (t) => ({
    account: t.relation("account"),
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
