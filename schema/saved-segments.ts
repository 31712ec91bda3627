import { AlreadyExistsError } from "../api/errors.ts";
import {
  createSavedSegment,
  removeSavedSegment,
  updateSavedSegment,
} from "../api/services/saved-segments.ts";
import { AccountFilter } from "./accounts.ts";
import { builder } from "./builder.ts";
import { dossierWriteErrors } from "./errors.ts";
import { decodeId } from "./ids.ts";

builder.prismaNode("SavedSegment", {
  description:
    "A named filter over accounts, shared with everyone: pass its ID as accounts(filter: { savedSegmentId }).",
  id: { field: "id" },
  nullable: true,
  authScopes: { readAccounts: true },
  fields: (t) => ({
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    filter: t.expose("filter", { type: "JSON", description: "The AccountFilter, as saved." }),
    version: t.exposeInt("version"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

builder.queryField("savedSegments", (t) =>
  t.prismaField({
    type: ["SavedSegment"],
    description: "Every saved segment, by name.",
    authScopes: { readAccounts: true },
    resolve: (query, _root, _args, context) =>
      context.db.prisma.savedSegment.findMany({ ...query, orderBy: [{ name: "asc" }, { id: "asc" }] }),
  }),
);

const CreateSavedSegmentInput = builder.inputType("CreateSavedSegmentInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    filter: t.field({ type: AccountFilter, required: true }),
  }),
});

const UpdateSavedSegmentInput = builder.inputType("UpdateSavedSegmentInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    name: t.string(),
    description: t.string(),
    filter: t.field({ type: AccountFilter }),
  }),
});

const RemoveSavedSegmentInput = builder.inputType("RemoveSavedSegmentInput", {
  fields: (t) => ({ id: t.id({ required: true }), version: t.int({ required: true }) }),
});

const segmentErrors = [...dossierWriteErrors, AlreadyExistsError];

builder.mutationFields((t) => ({
  createSavedSegment: t.prismaField({
    type: "SavedSegment",
    args: { input: t.arg({ type: CreateSavedSegmentInput, required: true }) },
    errors: { types: segmentErrors },
    resolve: (_query, _root, { input }, context) =>
      createSavedSegment(context, {
        name: input.name,
        description: input.description,
        filter: input.filter as Record<string, unknown>,
      }),
  }),
  updateSavedSegment: t.prismaField({
    type: "SavedSegment",
    args: { input: t.arg({ type: UpdateSavedSegmentInput, required: true }) },
    errors: { types: segmentErrors },
    resolve: (_query, _root, { input }, context) =>
      updateSavedSegment(context, {
        id: decodeId(input.id, "SavedSegment"),
        version: input.version,
        name: input.name ?? undefined,
        description: input.description,
        filter: (input.filter ?? undefined) as Record<string, unknown> | undefined,
      }),
  }),
  removeSavedSegment: t.field({
    type: "Boolean",
    args: { input: t.arg({ type: RemoveSavedSegmentInput, required: true }) },
    errors: { types: segmentErrors },
    resolve: async (_root, { input }, context) => {
      await removeSavedSegment(context, {
        id: decodeId(input.id, "SavedSegment"),
        version: input.version,
      });
      return true;
    },
  }),
}));
