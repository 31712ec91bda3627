/** Saved segments: named filters over accounts, shared with everyone, usable wherever accounts(filter) is. */
import { z } from "zod";
import type { Prisma } from "../../prisma/generated/sqlite/client.ts";
import { assertCanWriteAccounts, isAdmin } from "../auth/permissions.ts";
import type { Principal } from "../auth/principal.ts";
import { AlreadyExistsError, ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { optionalText, parseInput, requiredText, versionedId } from "../validation.ts";
import { removeVersionedRecord, updateVersionedRecord } from "./account-records.ts";
import { checkAccountFilter } from "./accounts.ts";
import { recordAudit, type Tx } from "./audit.ts";
import type { ServiceContext } from "./context.ts";

/** The filter as the API received it (global IDs, ISO dates), without a nested saved segment. */
export type StoredFilter = Record<string, unknown>;

const segmentFields = {
  name: requiredText(100),
  description: optionalText(1000),
  filter: z.record(z.string(), z.unknown()),
};
const createInput = z.object(segmentFields);
const updateInput = versionedId.extend({
  name: requiredText(100).optional(),
  description: optionalText(1000),
  filter: segmentFields.filter.optional(),
});

function actorId(principal: Principal) {
  return principal.kind === "user" ? principal.user.id : principal.apiKey.id;
}

/** The largest filter a segment may hold, as JSON: a filter within the rules is far smaller. */
export const maxStoredFilterLength = 4000;

/**
 * A saved filter is plain JSON within the rules of accounts(filter), and small; a segment cannot
 * point at another one.
 */
export function storableFilter(filter: Record<string, unknown>): StoredFilter {
  const { savedSegmentId: _ignored, ...rest } = filter;
  checkAccountFilter(rest, "filter");
  const json = JSON.stringify(rest);
  if (json.length > maxStoredFilterLength) {
    throw new ValidationError([
      { path: "filter", message: `must be at most ${maxStoredFilterLength} characters as JSON` },
    ]);
  }
  return JSON.parse(json) as StoredFilter;
}

async function assertNameFree(tx: Tx, name: string, id?: string) {
  const other = await tx.savedSegment.findUnique({ where: { name }, select: { id: true } });
  if (other && other.id !== id) throw new AlreadyExistsError("name", name);
}

async function loadOwnSegment(tx: Tx, principal: Principal, id: string) {
  const segment = await tx.savedSegment.findUnique({ where: { id } });
  if (!segment) throw new NotFoundError("SavedSegment", id);
  if (!isAdmin(principal) && segment.createdById !== actorId(principal)) {
    throw new ForbiddenError("Only the segment's author and admins can change it.");
  }
  return segment;
}

export async function createSavedSegment(
  { db, principal }: ServiceContext,
  input: z.input<typeof createInput>,
) {
  assertCanWriteAccounts(principal);
  const data = parseInput(createInput, input);
  return db.prisma.$transaction(async (tx) => {
    await assertNameFree(tx, data.name);
    const segment = await tx.savedSegment.create({
      data: {
        name: data.name,
        description: data.description ?? null,
        filter: storableFilter(data.filter) as Prisma.InputJsonValue,
        createdById: actorId(principal),
      },
    });
    await recordAudit(tx, principal, {
      action: "savedSegment.create",
      entityType: "SavedSegment",
      entityId: segment.id,
      after: segment,
    });
    return segment;
  });
}

const savedSegmentRecord = {
  entityType: "SavedSegment",
  load: loadOwnSegment,
  delegate: (tx: Tx) => tx.savedSegment,
};

export async function updateSavedSegment(context: ServiceContext, input: z.input<typeof updateInput>) {
  assertCanWriteAccounts(context.principal);
  const { id, version, ...fields } = parseInput(updateInput, input);
  const changes = {
    ...(fields.name ? { name: fields.name } : {}),
    ...(fields.description !== undefined ? { description: fields.description } : {}),
    ...(fields.filter ? { filter: storableFilter(fields.filter) as Prisma.InputJsonValue } : {}),
  };
  return updateVersionedRecord(
    context,
    { id, version, changes },
    {
      ...savedSegmentRecord,
      action: "savedSegment.update",
      check: async (tx) => {
        if (fields.name) await assertNameFree(tx, fields.name, id);
        return undefined;
      },
    },
  );
}

export function removeSavedSegment(context: ServiceContext, input: { id: string; version: number }) {
  return removeVersionedRecord(context, input, { ...savedSegmentRecord, action: "savedSegment.remove" });
}

export async function loadSavedFilter({ db }: ServiceContext, id: string): Promise<StoredFilter> {
  const segment = await db.prisma.savedSegment.findUnique({ where: { id }, select: { filter: true } });
  if (!segment) throw new NotFoundError("SavedSegment", id);
  return (segment.filter ?? {}) as StoredFilter;
}
