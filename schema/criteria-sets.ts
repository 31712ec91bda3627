/** Criteria sets, their criteria and weights, and the rule that picks key accounts (api/services/criteria-sets.ts). */

import { AlreadyExistsError, VersionConflictError } from "../api/errors.ts";
import { share } from "../api/precision.ts";
import {
  type CriteriaSetWithCriteria,
  createCriteriaSet,
  resolveCriteriaSet,
  updateCriteriaSet,
} from "../api/services/criteria-sets.ts";
import type { Prisma } from "../prisma/generated/sqlite/client.ts";
import { builder } from "./builder.ts";
import { type Context, perRequest } from "./context.ts";
import { writeErrors } from "./errors.ts";
import { decodeId } from "./ids.ts";

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

const KeyAccountRuleEnum = builder.enumType("KeyAccountRule", {
  description:
    "TOP_N: the keyAccountCount best-scored eligible accounts are key (ties at the last place included). THRESHOLD: eligible accounts scoring keyAccountThreshold or more are key.",
  values: ["TOP_N", "THRESHOLD"] as const,
});

interface RubricBandShape {
  from: number;
  to: number;
  text: string;
}

const RubricBand = builder.objectRef<RubricBandShape>("RubricBand").implement({
  description: "What a score from `from` to `to` means on a criterion.",
  fields: (t) => ({ from: t.exposeInt("from"), to: t.exposeInt("to"), text: t.exposeString("text") }),
});

function isRubricBand(value: Prisma.JsonValue): value is Prisma.JsonObject & RubricBandShape {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value.from === "number" &&
    typeof value.to === "number" &&
    typeof value.text === "string"
  );
}

/** The rubric is stored as JSON; the service checked its bands when they were written. */
const rubricBands = (rubric: Prisma.JsonValue | null): RubricBandShape[] =>
  Array.isArray(rubric) ? rubric.filter(isRubricBand) : [];

export const ScoringCriterion = builder.prismaNode("ScoringCriterion", {
  description:
    "A criterion accounts are scored on, 1-10. Its scores serve every criteria set that weighs it.",
  id: { field: "id" },
  nullable: true,
  authScopes: { readAccounts: true },
  fields: (t) => ({
    key: t.exposeString("key", { description: "Stable name for integrations, e.g. profit_potential." }),
    label: t.exposeString("label"),
    description: t.exposeString("description", { nullable: true }),
    rubric: t.field({
      type: [RubricBand],
      description: "What scores mean, by band; empty when none was written.",
      resolve: (criterion) => rubricBands(criterion.rubric),
    }),
  }),
});

type WeightedCriterionShape = CriteriaSetWithCriteria["weights"][number] & { share: number };

export const WeightedCriterion = builder.objectRef<WeightedCriterionShape>("WeightedCriterion").implement({
  description: "A criterion in a set, with its weight: a column of the score matrix.",
  fields: (t) => ({
    criterion: t.field({ type: ScoringCriterion, resolve: (entry) => entry.criterion }),
    weight: t.exposeFloat("weight"),
    weightShare: t.exposeFloat("share", {
      description: "The weight's share of the set's total weight, 0-1, 4 decimals.",
    }),
    position: t.exposeInt("position"),
  }),
});

export function weightedCriteria(set: Pick<CriteriaSetWithCriteria, "weights">): WeightedCriterionShape[] {
  const total = set.weights.reduce((sum, entry) => sum + entry.weight, 0);
  return set.weights.map((entry) => ({ ...entry, share: share(entry.weight / total) }));
}

const criteriaSelect = { weights: { include: { criterion: true }, orderBy: { position: "asc" as const } } };

export const CriteriaSet = builder.prismaNode("CriteriaSet", {
  description:
    "A weighted choice of criteria and the rule that picks key accounts by its score. One set is active; others can be tried beside it.",
  id: { field: "id" },
  nullable: true,
  authScopes: { readAccounts: true },
  fields: (t) => ({
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    isActive: t.exposeBoolean("isActive"),
    keyAccountRule: t.field({ type: KeyAccountRuleEnum, resolve: (set) => set.keyAccountRule }),
    keyAccountCount: t.exposeInt("keyAccountCount", { nullable: true }),
    keyAccountThreshold: t.exposeFloat("keyAccountThreshold", { nullable: true }),
    minCompleteness: t.exposeFloat("minCompleteness", {
      description: "Share of the set's weight (0-1) an account must have scored to be selected as key.",
    }),
    version: t.exposeInt("version"),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    criteria: t.field({
      type: [WeightedCriterion],
      select: criteriaSelect,
      resolve: (set) => weightedCriteria(set),
    }),
  }),
});

export const criteriaSetIdOf = (id: string | number | null | undefined) =>
  id ? decodeId(id, "CriteriaSet") : null;

/** The criteria set asked for (the active one by default), read once per request. */
export async function criteriaSetFor(context: Context, id: string | number | null | undefined) {
  const setId = criteriaSetIdOf(id);
  return perRequest(context, `criteriaSet:${setId ?? "active"}`, () => resolveCriteriaSet(context.db, setId));
}

builder.queryFields((t) => ({
  criteriaSets: t.prismaField({
    type: ["CriteriaSet"],
    description: "Every criteria set, the active one first.",
    authScopes: { readAccounts: true },
    resolve: (query, _root, _args, context) =>
      context.db.prisma.criteriaSet.findMany({ ...query, orderBy: [{ isActive: "desc" }, { name: "asc" }] }),
  }),
}));

const RubricBandInput = builder.inputType("RubricBandInput", {
  fields: (t) => ({
    from: t.int({ required: true }),
    to: t.int({ required: true }),
    text: t.string({ required: true }),
  }),
});

const CriterionInput = builder.inputType("CriterionInput", {
  description:
    "A criterion of a set. A new key creates the criterion (label required); a known one is updated.",
  fields: (t) => ({
    key: t.string({ required: true }),
    label: t.string(),
    description: t.string(),
    weight: t.float({ required: true, description: "Positive." }),
    rubric: t.field({ type: [RubricBandInput] }),
  }),
});

const ruleInputFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, "InputObject">) => ({
  keyAccountRule: t.field({ type: KeyAccountRuleEnum }),
  keyAccountCount: t.int(),
  keyAccountThreshold: t.float({ description: "0-100" }),
  minCompleteness: t.float({ description: "0-1" }),
});

const CreateCriteriaSetInput = builder.inputType("CreateCriteriaSetInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    criteria: t.field({ type: [CriterionInput], required: true }),
    isActive: t.boolean(),
    ...ruleInputFields(t),
  }),
});

const UpdateCriteriaSetInput = builder.inputType("UpdateCriteriaSetInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    name: t.string(),
    description: t.string(),
    criteria: t.field({ type: [CriterionInput], description: "Replaces the set's criteria and weights." }),
    isActive: t.boolean({ description: "true makes this the active set." }),
    ...ruleInputFields(t),
  }),
});

builder.mutationFields((t) => ({
  createCriteriaSet: t.prismaField({
    type: "CriteriaSet",
    description: "Admins: a new criteria set (the first one is active).",
    args: { input: t.arg({ type: CreateCriteriaSetInput, required: true }) },
    errors: { types: [...writeErrors, AlreadyExistsError] },
    resolve: (_query, _root, { input }, context) => createCriteriaSet(context, input),
  }),
  updateCriteriaSet: t.prismaField({
    type: "CriteriaSet",
    description: "Admins: rename, reweigh, change the rule or activate a set. Ranks follow at once; audited.",
    args: { input: t.arg({ type: UpdateCriteriaSetInput, required: true }) },
    errors: { types: [...writeErrors, VersionConflictError, AlreadyExistsError] },
    resolve: (_query, _root, { input }, context) =>
      updateCriteriaSet(context, {
        ...input,
        id: decodeId(input.id, "CriteriaSet"),
      }),
  }),
}));
