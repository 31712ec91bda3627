import { z } from "zod";
import {
  type Competitor,
  type CompetitorPosition,
  Prisma,
  type ThreatLevel,
} from "../../prisma/generated/sqlite/client.ts";
import { assertCanWriteAccounts } from "../auth/permissions.ts";
import { groupedBy, inOrderOf } from "../db/batches.ts";
import { readModelRows } from "../db/model-rows.ts";
import {
  notNull,
  parseInput,
  pastDate,
  requiredText,
  sentFields,
  optionalText as text,
  versionedId,
} from "../validation.ts";
import { createAccountRecord, removeVersionedRecord, updateVersionedRecord } from "./account-records.ts";
import type { ServiceContext, SystemContext } from "./context.ts";

export const competitorPositions = [
  "INCUMBENT",
  "CHALLENGER",
  "NICHE",
  "NEWCOMER",
  "FORMER",
] as const satisfies readonly CompetitorPosition[];
export const threatLevels = ["LOW", "MEDIUM", "HIGH"] as const satisfies readonly ThreatLevel[];

/** The biggest threat first; a stable sort keeps the given order (by name) within a level. */
export function byThreat<T extends { threatLevel: ThreatLevel }>(competitors: T[]): T[] {
  return [...competitors].sort(
    (a, b) => threatLevels.indexOf(b.threatLevel) - threatLevels.indexOf(a.threatLevel),
  );
}

/** Whether a value is a competitor's row (for GraphQL, which type an object is). */
export function isCompetitorRow(value: unknown): value is Competitor {
  return typeof value === "object" && value !== null && "threatLevel" in value && "accountId" in value;
}

/** The columns every read of competitors includes (the others only when asked for). */
export const competitorKeyColumns = ["id", "accountId", "threatLevel"] as const;

/** Competitors read where the statement says, by name (all columns unless some are named). */
async function readCompetitors(
  { db }: SystemContext,
  where: Prisma.Sql,
  columns?: readonly string[],
): Promise<Competitor[]> {
  return readModelRows<Competitor>(db, "Competitor", where, {
    columns,
    clauses: Prisma.sql`ORDER BY "name", "id"`,
  });
}

/** The competitors of each account, the biggest threat first (then by name): one statement. */
export async function competitorsOfAccounts(
  context: SystemContext,
  accountIds: readonly string[],
  columns?: readonly string[],
): Promise<Competitor[][]> {
  const rows = await readCompetitors(
    context,
    context.db.dialect.inList(Prisma.sql`"accountId"`, accountIds),
    columns,
  );
  return groupedBy(rows, (row) => row.accountId, accountIds).map(byThreat);
}

/** Competitors by ID, null for an unknown one: one statement. */
export async function competitorsById(
  context: SystemContext,
  ids: readonly string[],
): Promise<(Competitor | null)[]> {
  const rows = await readCompetitors(context, context.db.dialect.inList(Prisma.sql`"id"`, ids));
  return inOrderOf(rows, (row) => row.id, ids);
}

const competitorFields = {
  name: requiredText(200),
  offering: text(2000),
  position: z.enum(competitorPositions),
  threatLevel: z.enum(threatLevels),
  strengths: text(2000),
  weaknesses: text(2000),
  lastSeenAt: pastDate.nullish(),
};

const createCompetitorInput = z.object({ accountId: z.string(), ...competitorFields });
const updateCompetitorInput = versionedId.extend({
  ...competitorFields,
  name: notNull(competitorFields.name),
  position: notNull(competitorFields.position),
  threatLevel: notNull(competitorFields.threatLevel),
});

export async function createCompetitor(
  context: ServiceContext,
  input: z.input<typeof createCompetitorInput>,
) {
  assertCanWriteAccounts(context.principal);
  const { accountId, ...data } = parseInput(createCompetitorInput, input);
  return createAccountRecord(context, accountId, {
    entityType: "Competitor",
    action: "competitor.create",
    create: async (tx) => {
      return tx.competitor.create({
        data: {
          accountId,
          name: data.name,
          position: data.position,
          threatLevel: data.threatLevel,
          offering: data.offering ?? null,
          strengths: data.strengths ?? null,
          weaknesses: data.weaknesses ?? null,
          lastSeenAt: data.lastSeenAt ?? null,
        },
      });
    },
  });
}

export async function updateCompetitor(
  context: ServiceContext,
  input: z.input<typeof updateCompetitorInput>,
) {
  assertCanWriteAccounts(context.principal);
  const { id, version, ...fields } = parseInput(updateCompetitorInput, input);
  return updateVersionedRecord(
    context,
    { id, version, changes: sentFields(fields) },
    { entityType: "Competitor", action: "competitor.update", delegate: (tx) => tx.competitor },
  );
}

export function removeCompetitor(context: ServiceContext, input: { id: string; version: number }) {
  return removeVersionedRecord(context, input, {
    entityType: "Competitor",
    action: "competitor.remove",
    delegate: (tx) => tx.competitor,
  });
}
