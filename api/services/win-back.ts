/**
 * Win-back actions: what is planned to bring a lost or at-risk client back, and how it went.
 *
 * Rules:
 * - Writing follows the dossier rules: the account's owner, its team and admins (or a key with
 *   the write scope); never on an archived account.
 * - The assignee, when given, is an existing user who is a manager or an admin.
 * - An action is PLANNED until it gets another outcome. Setting an outcome other than PLANNED
 *   without a completion date stamps it with now; going back to PLANNED clears the completion
 *   date, and a PLANNED action cannot have one.
 * - Completion dates cannot be in the future; planned dates may be anywhere.
 */
import { z } from "zod";
import type { WinBackActionKind, WinBackOutcome } from "../../prisma/generated/sqlite/client.ts";
import { assertCanWriteAccounts } from "../auth/permissions.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import {
  notNull,
  parseInput,
  pastDate,
  sentFields,
  optionalText as text,
  versionedId,
} from "../validation.ts";
import { createAccountRecord, removeVersionedRecord, updateVersionedRecord } from "./account-records.ts";
import type { Tx } from "./audit.ts";
import type { ServiceContext } from "./context.ts";

export const winBackActionKinds = [
  "SPECIAL_OFFER",
  "DISCOUNT",
  "GIFT",
  "MEETING",
  "CALL",
  "OTHER",
] as const satisfies readonly WinBackActionKind[];
export const winBackOutcomes = [
  "PLANNED",
  "DONE",
  "WON_BACK",
  "NO_RESPONSE",
  "DECLINED",
] as const satisfies readonly WinBackOutcome[];

const fields = {
  kind: z.enum(winBackActionKinds),
  description: text(2000),
  plannedFor: z.date(),
  assigneeId: z.string().nullish(),
};

const createInput = z.object({ accountId: z.string(), ...fields });
const updateInput = versionedId.extend({
  kind: notNull(fields.kind),
  description: fields.description,
  plannedFor: notNull(fields.plannedFor),
  assigneeId: fields.assigneeId,
  outcome: notNull(z.enum(winBackOutcomes)),
  outcomeNote: text(2000),
  completedAt: pastDate.nullish(),
});

/** The outcome and completion date an action ends up with after a change (see the rules above). */
export function settleOutcome(
  before: { outcome: WinBackOutcome; completedAt: Date | null },
  change: { outcome?: WinBackOutcome; completedAt?: Date | null },
  now: Date,
): { outcome: WinBackOutcome; completedAt: Date | null } {
  const outcome = change.outcome ?? before.outcome;
  if (outcome === "PLANNED") {
    if (change.completedAt) {
      throw new ValidationError([
        { path: "completedAt", message: "a planned action has no completion date; set an outcome" },
      ]);
    }
    return { outcome, completedAt: null };
  }
  const completedAt = change.completedAt !== undefined ? change.completedAt : before.completedAt;
  return { outcome, completedAt: completedAt ?? now };
}

async function assertAssignee(tx: Tx, assigneeId: string | null | undefined) {
  if (!assigneeId) return;
  const user = await tx.user.findUnique({ where: { id: assigneeId }, select: { role: true } });
  if (!user) throw new NotFoundError("User", assigneeId);
  if (user.role === "VIEWER") {
    throw new ValidationError([
      { path: "assigneeId", message: "the assignee must be a manager or an admin" },
    ]);
  }
}

export async function createWinBackAction(context: ServiceContext, input: z.input<typeof createInput>) {
  assertCanWriteAccounts(context.principal);
  const { accountId, ...data } = parseInput(createInput, input);
  return createAccountRecord(context, accountId, {
    entityType: "WinBackAction",
    action: "winBackAction.create",
    create: async (tx) => {
      await assertAssignee(tx, data.assigneeId);
      return tx.winBackAction.create({
        data: {
          accountId,
          kind: data.kind,
          description: data.description ?? null,
          plannedFor: data.plannedFor,
          assigneeId: data.assigneeId ?? null,
        },
      });
    },
  });
}

export async function updateWinBackAction(context: ServiceContext, input: z.input<typeof updateInput>) {
  assertCanWriteAccounts(context.principal);
  const { id, version, outcome, completedAt, ...rest } = parseInput(updateInput, input);
  return updateVersionedRecord(
    context,
    { id, version, changes: sentFields(rest) },
    {
      entityType: "WinBackAction",
      action: "winBackAction.update",
      delegate: (tx) => tx.winBackAction,
      check: async (tx, before) => {
        await assertAssignee(tx, rest.assigneeId);
        if (outcome === undefined && completedAt === undefined) return undefined;
        return settleOutcome(before, { outcome, completedAt }, context.clock.now());
      },
    },
  );
}

export function removeWinBackAction(context: ServiceContext, input: { id: string; version: number }) {
  return removeVersionedRecord(context, input, {
    entityType: "WinBackAction",
    action: "winBackAction.remove",
    delegate: (tx) => tx.winBackAction,
  });
}
