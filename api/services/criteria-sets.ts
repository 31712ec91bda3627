/**
 * Criteria sets: which criteria accounts are scored on, how much each weighs, and the rule that
 * picks key accounts by the weighted score. One set is active; the others can be tried beside it,
 * since scores belong to the criterion and serve every set that weighs it.
 */
import { z } from "zod";
import { Prisma } from "../../prisma/generated/sqlite/client.ts";
import { assertAdmin } from "../auth/permissions.ts";
import type { Database } from "../db/index.ts";
import { asModelRows, modelColumns, readModelRows } from "../db/model-rows.ts";
import { AlreadyExistsError, NotFoundError, ValidationError } from "../errors.ts";
import { notNull, optionalText, parseInput, requiredText, sentFields, versionField } from "../validation.ts";
import { recordAudit, type Tx } from "./audit.ts";
import { claimVersion } from "./concurrency.ts";
import type { ServiceContext, SystemContext } from "./context.ts";

/** The ten criteria of the Russian article, in its order; the seed ships them as the default set. */
export const articleCriteria = [
  {
    key: "partnership_potential",
    label: "Partnership potential and history",
    description: "How far the relationship can grow, judged by what we have already done together.",
  },
  {
    key: "cooperation_length",
    label: "Length of cooperation",
    description: "How long we have worked together.",
  },
  { key: "average_invoice", label: "Average invoice", description: "The typical size of an order." },
  { key: "product_fit", label: "Product fit", description: "How well what we sell matches what they need." },
  { key: "profit_potential", label: "Profit potential", description: "The margin the account can bring." },
  {
    key: "purchasing_and_payment",
    label: "Purchasing process and payment speed",
    description: "How smoothly they buy, and how fast they pay.",
  },
  { key: "values_fit", label: "Values and culture fit", description: "Shared values and ways of working." },
  { key: "solvency", label: "Solvency", description: "Their ability to pay, now and in the coming years." },
  {
    key: "business_ties",
    label: "Ties to other organisations",
    description: "Their relationships with organisations that could become our partners or clients.",
  },
  { key: "geography", label: "Geography", description: "Whether they are where we can serve them well." },
] as const;

const rubricBand = z
  .object({
    from: z
      .number()
      .int("must be a whole score")
      .min(1, "scores run from 1 to 10")
      .max(10, "scores run from 1 to 10"),
    to: z
      .number()
      .int("must be a whole score")
      .min(1, "scores run from 1 to 10")
      .max(10, "scores run from 1 to 10"),
    text: requiredText(500),
  })
  .refine((band) => band.to >= band.from, { message: "a band ends at or after its start", path: ["to"] });

const rubric = z
  .array(rubricBand)
  .max(10, "at most 10 bands")
  .refine(
    (bands) =>
      [...bands]
        .sort((a, b) => a.from - b.from)
        .every((band, index, sorted) => index === 0 || band.from > (sorted[index - 1]?.to ?? 0)),
    "bands must not overlap",
  )
  .nullish();

const criterionInput = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,49}$/, "must be 2-50 lower-case letters, digits or _ and start with a letter"),
  label: notNull(requiredText(100)),
  description: optionalText(1000),
  weight: z.number().finite("must be a number").gt(0, "must be positive").max(1000, "must be at most 1000"),
  rubric,
});

const ruleFields = {
  keyAccountRule: notNull(z.enum(["TOP_N", "THRESHOLD"])),
  keyAccountCount: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(100_000, "must be at most 100000")
    .nullish(),
  keyAccountThreshold: z.number().min(0, "must be from 0 to 100").max(100, "must be from 0 to 100").nullish(),
  minCompleteness: notNull(z.number().min(0, "must be from 0 to 1").max(1, "must be from 0 to 1")),
};

const criteriaList = z
  .array(criterionInput)
  .min(1, "a set needs at least one criterion")
  .max(50, "at most 50 criteria")
  .refine((list) => new Set(list.map((c) => c.key)).size === list.length, "each criterion key only once");

const createInput = z.object({
  name: requiredText(100),
  description: optionalText(1000),
  criteria: criteriaList,
  isActive: notNull(z.boolean()),
  ...ruleFields,
});

const updateInput = z.object({
  id: z.string(),
  version: versionField,
  name: notNull(requiredText(100)),
  description: optionalText(1000),
  criteria: notNull(criteriaList),
  isActive: notNull(z.boolean()),
  ...ruleFields,
});

export type CriteriaSetInput = z.input<typeof createInput>;
export type CriteriaSetUpdate = z.input<typeof updateInput>;

const withCriteria = {
  weights: { include: { criterion: true }, orderBy: { position: "asc" } },
} satisfies Prisma.CriteriaSetInclude;

export type CriteriaSetWithCriteria = Prisma.CriteriaSetGetPayload<{ include: typeof withCriteria }>;

/** The rule must be complete: TOP_N needs its count, THRESHOLD its threshold. */
function ruleIssues(set: {
  keyAccountRule: string;
  keyAccountCount: number | null;
  keyAccountThreshold: number | null;
}) {
  if (set.keyAccountRule === "TOP_N" && set.keyAccountCount == null)
    return [{ path: "keyAccountCount", message: "the TOP_N rule needs how many accounts are key" }];
  if (set.keyAccountRule === "THRESHOLD" && set.keyAccountThreshold == null)
    return [{ path: "keyAccountThreshold", message: "the THRESHOLD rule needs the lowest key score" }];
  return [];
}

async function assertNameFree(tx: Tx, name: string, id?: string) {
  const other = await tx.criteriaSet.findUnique({ where: { name }, select: { id: true } });
  if (other && other.id !== id) throw new AlreadyExistsError("name", name);
}

/** Creates missing criteria and updates the label, description and rubric of those sent with them. */
async function upsertCriteria(tx: Tx, criteria: z.output<typeof criteriaList>) {
  const known = await tx.scoringCriterion.findMany({ where: { key: { in: criteria.map((c) => c.key) } } });
  const byKey = new Map(known.map((criterion) => [criterion.key, criterion]));
  const ids: string[] = [];
  for (const [index, input] of criteria.entries()) {
    const existing = byKey.get(input.key);
    const fields = {
      ...(input.label ? { label: input.label } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.rubric !== undefined ? { rubric: (input.rubric ?? undefined) as Prisma.InputJsonValue } : {}),
    };
    if (existing) {
      if (Object.keys(fields).length > 0)
        await tx.scoringCriterion.update({ where: { id: existing.id }, data: fields });
      ids.push(existing.id);
      continue;
    }
    if (!input.label) {
      throw new ValidationError([
        { path: `criteria.${index}.label`, message: "a new criterion needs a label" },
      ]);
    }
    const created = await tx.scoringCriterion.create({
      data: { key: input.key, label: input.label, ...fields },
    });
    ids.push(created.id);
  }
  return ids;
}

async function replaceWeights(tx: Tx, setId: string, criteria: z.output<typeof criteriaList>, ids: string[]) {
  await tx.criterionWeight.deleteMany({ where: { criteriaSetId: setId } });
  await tx.criterionWeight.createMany({
    data: criteria.map((input, position) => ({
      criteriaSetId: setId,
      criterionId: ids[position] as string,
      weight: input.weight,
      position,
    })),
  });
}

/**
 * A set (the active one when no ID is given) with its criteria in order, straight from the
 * driver: two statements, for the reads every score shown needs.
 */
async function readCriteriaSet(db: Database, id: string | null | undefined) {
  const [set] = await readModelRows<CriteriaSetWithCriteria>(
    db,
    "CriteriaSet",
    id ? Prisma.sql`"id" = ${id}` : Prisma.sql`"isActive" = ${true}`,
    { clauses: Prisma.sql`ORDER BY "id" LIMIT 1` },
  );
  if (!set) return null;
  type Weight = CriteriaSetWithCriteria["weights"][number];
  // The criterion's columns beside the weight's (their names do not overlap), converted together.
  const rows = asModelRows<Weight["criterion"] & Pick<Weight, "criterionId" | "weight" | "position">>(
    "ScoringCriterion",
    await db.read(
      Prisma.sql`SELECT w."criterionId", w."weight", w."position", ${modelColumns("ScoringCriterion", "c")}
        FROM "CriterionWeight" w JOIN "ScoringCriterion" c ON c."id" = w."criterionId"
        WHERE w."criteriaSetId" = ${set.id} ORDER BY w."position"`,
    ),
  );
  const weights = rows.map(
    ({ criterionId, weight, position, ...criterion }): Weight => ({
      criteriaSetId: set.id,
      criterionId,
      weight: Number(weight),
      position: Number(position),
      criterion,
    }),
  );
  return { ...set, weights };
}

export function loadCriteriaSet(tx: Tx, id: string): Promise<CriteriaSetWithCriteria | null> {
  return tx.criteriaSet.findUnique({ where: { id }, include: withCriteria });
}

/** The set named, or the active one when none is named. */
export async function resolveCriteriaSet(source: Database | Tx, id: string | null | undefined) {
  const set =
    "read" in source
      ? await readCriteriaSet(source, id)
      : id
        ? await loadCriteriaSet(source, id)
        : await source.criteriaSet.findFirst({ where: { isActive: true }, include: withCriteria });
  if (!set) throw new NotFoundError("CriteriaSet", id ?? "active");
  return set;
}

export function listCriteriaSets({ db }: SystemContext) {
  return db.prisma.criteriaSet.findMany({
    include: withCriteria,
    orderBy: [{ isActive: "desc" }, { name: "asc" }],
  });
}

export async function createCriteriaSet({ db, principal }: ServiceContext, input: CriteriaSetInput) {
  assertAdmin(principal);
  const data = parseInput(createInput, input);
  const rule = {
    keyAccountRule: data.keyAccountRule ?? "TOP_N",
    keyAccountCount: data.keyAccountCount ?? null,
    keyAccountThreshold: data.keyAccountThreshold ?? null,
  };
  const issues = ruleIssues(rule);
  if (issues.length) throw new ValidationError(issues);
  return db.prisma.$transaction(async (tx) => {
    await assertNameFree(tx, data.name);
    const first = (await tx.criteriaSet.count()) === 0;
    const isActive = first || data.isActive === true;
    if (isActive) await tx.criteriaSet.updateMany({ where: { isActive: true }, data: { isActive: false } });
    const set = await tx.criteriaSet.create({
      data: {
        name: data.name,
        description: data.description ?? null,
        isActive,
        ...rule,
        ...(data.minCompleteness !== undefined ? { minCompleteness: data.minCompleteness } : {}),
      },
    });
    await replaceWeights(tx, set.id, data.criteria, await upsertCriteria(tx, data.criteria));
    const after = await tx.criteriaSet.findUniqueOrThrow({ where: { id: set.id }, include: withCriteria });
    await recordAudit(tx, principal, {
      action: "criteriaSet.create",
      entityType: "CriteriaSet",
      entityId: set.id,
      after: auditView(after),
    });
    return after;
  });
}

/**
 * Changes a set: its name, rule, criteria and weights (the list sent replaces the set's), or makes
 * it the active one. Rankings are computed from the weights when read, so they follow at once.
 */
export async function updateCriteriaSet({ db, principal }: ServiceContext, input: CriteriaSetUpdate) {
  assertAdmin(principal);
  const { id, version, criteria, isActive, ...fields } = parseInput(updateInput, input);
  return db.prisma.$transaction(async (tx) => {
    const before = await loadCriteriaSet(tx, id);
    if (!before) throw new NotFoundError("CriteriaSet", id);
    if (fields.name) await assertNameFree(tx, fields.name, id);
    if (isActive === false && before.isActive) {
      throw new ValidationError([
        { path: "isActive", message: "one set is always active: activate another set instead" },
      ]);
    }
    const changes = { ...sentFields(fields), ...(isActive ? { isActive: true } : {}) };
    const issues = ruleIssues({ ...before, ...changes });
    if (issues.length) throw new ValidationError(issues);
    if (isActive && !before.isActive) {
      await tx.criteriaSet.updateMany({ where: { isActive: true }, data: { isActive: false } });
    }
    await claimVersion(tx.criteriaSet, id, version, changes);
    if (criteria) await replaceWeights(tx, id, criteria, await upsertCriteria(tx, criteria));
    const after = await tx.criteriaSet.findUniqueOrThrow({ where: { id }, include: withCriteria });
    await recordAudit(tx, principal, {
      action: "criteriaSet.update",
      entityType: "CriteriaSet",
      entityId: id,
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
}

/** What the audit log keeps of a set: its fields and its weights by criterion key. */
function auditView(set: CriteriaSetWithCriteria) {
  const { weights, ...fields } = set;
  return {
    ...fields,
    weights: weights.map((weight) => ({ key: weight.criterion.key, weight: weight.weight })),
  };
}
