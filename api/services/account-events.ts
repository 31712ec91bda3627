import { z } from "zod";
import type { AccountEventKind, Prisma, Satisfaction } from "../../prisma/generated/sqlite/client.ts";
import { assertCanWriteAccounts } from "../auth/permissions.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { parseInput, requiredText, sentFields, optionalText as text, versionedId } from "../validation.ts";
import { createAccountRecord, removeVersionedRecord, updateVersionedRecord } from "./account-records.ts";
import type { Tx } from "./audit.ts";
import type { ServiceContext } from "./context.ts";

export const accountEventKinds = [
  "DELIVERY",
  "MEETING",
  "CALL",
  "EMAIL",
  "COMPLAINT",
  "TENDER",
  "WIN",
  "LOSS",
  "SURVEY",
  "REFERRAL",
  "RECOMMENDATION_LETTER",
] as const satisfies readonly AccountEventKind[];

export const satisfactionLevels = [
  "VERY_SATISFIED",
  "SATISFIED",
  "NEUTRAL",
  "DISSATISFIED",
  "VERY_DISSATISFIED",
] as const satisfies readonly Satisfaction[];

const eventFields = {
  kind: z.enum(accountEventKinds),
  occurredAt: z.date(),
  title: requiredText(300),
  details: text(5000),
  value: z.number().finite().min(0, "cannot be negative").max(1e12, "is implausibly large").nullish(),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 code such as EUR")
    .nullish(),
  contactId: z.string().nullish(),
  resolvedAt: z.date().nullish(),
  resolution: text(2000),
  reason: text(2000),
  winner: text(200),
  satisfaction: z.enum(satisfactionLevels).nullish(),
};

type EventValues = { [K in keyof typeof eventFields]?: z.output<(typeof eventFields)[K]> };

/** The rules that tie fields to the kind of event, checked on the event as it will be stored. */
function eventIssues(event: EventValues) {
  const issues: { path: string; message: string }[] = [];
  const only = (field: keyof EventValues, kinds: AccountEventKind[]) => {
    if (event[field] != null && !kinds.includes(event.kind as AccountEventKind)) {
      issues.push({ path: `${field}`, message: `only applies to ${kinds.join(", ")} events` });
    }
  };
  const required = (field: keyof EventValues, kind: AccountEventKind, why: string) => {
    if (event.kind === kind && (event[field] === null || event[field] === undefined)) {
      issues.push({ path: `${field}`, message: why });
    }
  };
  only("resolvedAt", ["COMPLAINT"]);
  only("resolution", ["COMPLAINT"]);
  only("satisfaction", ["SURVEY"]);
  only("winner", ["LOSS", "TENDER"]);
  only("reason", ["WIN", "LOSS", "TENDER", "COMPLAINT"]);
  required("satisfaction", "SURVEY", "a survey result needs the satisfaction level");
  required("reason", "WIN", "a win needs its reason");
  required("reason", "LOSS", "a loss needs its reason");
  required("winner", "LOSS", "a loss needs who won");
  if (event.resolvedAt && event.occurredAt && event.resolvedAt < event.occurredAt) {
    issues.push({ path: "resolvedAt", message: "cannot be before the complaint" });
  }
  if (event.occurredAt && event.occurredAt.getTime() > Date.now() + 366 * 86_400_000) {
    issues.push({ path: "occurredAt", message: "cannot be more than a year ahead" });
  }
  if (event.value != null && !event.currency) {
    issues.push({ path: "currency", message: "give the currency of the value" });
  }
  return issues;
}

const createEventInput = z.object({ accountId: z.string(), ...eventFields });
const updateEventInput = versionedId.extend({
  ...Object.fromEntries(Object.entries(eventFields).map(([key, schema]) => [key, schema.optional()])),
}) as unknown as z.ZodType<{ id: string; version: number } & EventValues>;

export type CreateAccountEventInput = z.input<typeof createEventInput>;

async function assertContactOfAccount(tx: Tx, accountId: string, contactId: string | null | undefined) {
  if (!contactId) return;
  const contact = await tx.contact.findUnique({ where: { id: contactId }, select: { accountId: true } });
  if (!contact) throw new NotFoundError("Contact", contactId);
  if (contact.accountId !== accountId) {
    throw new ValidationError([{ path: "contactId", message: "must be a contact of the same account" }]);
  }
}

function assertEventRules(event: EventValues) {
  const issues = eventIssues(event);
  if (issues.length) throw new ValidationError(issues);
}

export async function createAccountEvent(context: ServiceContext, input: CreateAccountEventInput) {
  assertCanWriteAccounts(context.principal);
  const { accountId, ...data } = parseInput(createEventInput, input);
  assertEventRules(data);
  return createAccountRecord(context, accountId, {
    entityType: "AccountEvent",
    action: "accountEvent.create",
    create: async (tx) => {
      await assertContactOfAccount(tx, accountId, data.contactId);
      return tx.accountEvent.create({ data: { accountId, ...nullsFor(data) } });
    },
  });
}

export async function updateAccountEvent(
  context: ServiceContext,
  input: { id: string; version: number } & Record<string, unknown>,
) {
  assertCanWriteAccounts(context.principal);
  const { id, version, ...fields } = parseInput(updateEventInput, input);
  return updateVersionedRecord(
    context,
    { id, version, changes: sentFields(fields) },
    {
      entityType: "AccountEvent",
      action: "accountEvent.update",
      delegate: (tx) => tx.accountEvent,
      check: async (tx, before, changes) => {
        assertEventRules({ ...before, ...changes } as EventValues);
        await assertContactOfAccount(tx, before.accountId, changes.contactId as string | null | undefined);
        return undefined;
      },
    },
  );
}

export function removeAccountEvent(context: ServiceContext, input: { id: string; version: number }) {
  return removeVersionedRecord(context, input, {
    entityType: "AccountEvent",
    action: "accountEvent.remove",
    delegate: (tx) => tx.accountEvent,
  });
}

export interface AccountEventFilter {
  kinds?: AccountEventKind[] | null;
  from?: Date | null;
  to?: Date | null;
}

/** The history filter, within an account (the relation scopes it). */
export function accountEventWhere(filter: AccountEventFilter | null | undefined) {
  return {
    ...(filter?.kinds?.length ? { kind: { in: filter.kinds } } : {}),
    ...(filter?.from || filter?.to
      ? {
          occurredAt: {
            ...(filter.from ? { gte: filter.from } : {}),
            ...(filter.to ? { lte: filter.to } : {}),
          },
        }
      : {}),
  } satisfies Prisma.AccountEventWhereInput;
}

/** Newest first; the ID keeps the order stable for cursors. */
export const accountEventOrder = [
  { occurredAt: "desc" },
  { id: "desc" },
] satisfies Prisma.AccountEventOrderByWithRelationInput[];

function nullsFor<T extends Record<string, unknown>>(values: T) {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value ?? null])) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
