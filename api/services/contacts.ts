import { z } from "zod";
import {
  type Attitude,
  type CharacterType,
  type Contact,
  type ContactChannel,
  type DecisionRole,
  Prisma,
} from "../../prisma/generated/sqlite/client.ts";
import { type AccountTeam, assertCanWriteAccounts } from "../auth/permissions.ts";
import type { Principal } from "../auth/principal.ts";
import { groupedBy, inOrderOf } from "../db/batches.ts";
import { readModelRows } from "../db/model-rows.ts";
import { NotFoundError, OrgChartCycleError, PersonalDataErasedError, ValidationError } from "../errors.ts";
import {
  notNull,
  parseInput,
  pastDate,
  requiredText,
  sentFields,
  optionalText as text,
  versionedId,
} from "../validation.ts";
import { createAccountRecord, updateVersionedRecord } from "./account-records.ts";
import { loadWritableAccount } from "./accounts.ts";
import { recordAudit, type Tx } from "./audit.ts";
import { claimVersion } from "./concurrency.ts";
import type { ServiceContext, SystemContext } from "./context.ts";

// ---------------------------------------------------------------------------------------------
// Reading contacts: straight from the driver, a batch of accounts or contacts per statement.

/** Whether a value is a contact's row (for GraphQL, which type an object is). */
export function isContactRow(value: unknown): value is Contact {
  return typeof value === "object" && value !== null && "decisionRole" in value && "accountId" in value;
}

/** The columns every read of contacts includes (the others only when asked for). */
export const contactKeyColumns = ["id", "accountId", "decisionRole"] as const;

/** Contacts where the statement says, most influential first, then by name (all columns unless some are named). */
async function readContacts(
  { db }: SystemContext,
  where: Prisma.Sql,
  columns?: readonly string[],
): Promise<Contact[]> {
  return readModelRows<Contact>(db, "Contact", where, {
    columns,
    clauses: Prisma.sql`ORDER BY "influence" DESC, "name" ASC, "id" ASC`,
  });
}

/** Each account's contacts (only those who report to nobody with `topOnly`): one statement. */
export async function contactsOfAccounts(
  context: SystemContext,
  accountIds: readonly string[],
  { topOnly = false, columns }: { topOnly?: boolean; columns?: readonly string[] } = {},
): Promise<Contact[][]> {
  const { dialect } = context.db;
  const rows = await readContacts(
    context,
    Prisma.sql`${dialect.inList(Prisma.sql`"accountId"`, accountIds)}${topOnly ? Prisma.sql` AND "reportsToId" IS NULL` : Prisma.empty}`,
    columns,
  );
  return groupedBy(rows, (row) => row.accountId, accountIds);
}

/** The contacts who report to each of these: one statement. */
export async function contactsReportingTo(
  context: SystemContext,
  managerIds: readonly string[],
  columns?: readonly string[],
): Promise<Contact[][]> {
  const rows = await readContacts(
    context,
    context.db.dialect.inList(Prisma.sql`"reportsToId"`, managerIds),
    columns,
  );
  return groupedBy(rows, (row) => row.reportsToId, managerIds);
}

/** Contacts by ID, null for an unknown one: one statement. */
export async function contactsById(
  context: SystemContext,
  ids: readonly string[],
): Promise<(Contact | null)[]> {
  const rows = await readContacts(context, context.db.dialect.inList(Prisma.sql`"id"`, ids));
  return inOrderOf(rows, (row) => row.id, ids);
}

/** Who owns and works each account (what decides who sees personal facts): one statement. */
export async function accountTeams(
  { db }: SystemContext,
  accountIds: readonly string[],
): Promise<(AccountTeam | null)[]> {
  const rows = await db.read<{ id: string; ownerId: string | null; userId: string | null }>(
    Prisma.sql`SELECT a."id", a."ownerId", m."userId" FROM "Account" a
      LEFT JOIN "AccountTeamMember" m ON m."accountId" = a."id"
      WHERE ${db.dialect.inList(Prisma.sql`a."id"`, accountIds)}`,
  );
  // One row per member, or one with no member: the account's owner is on each.
  return groupedBy(rows, (row) => row.id, accountIds).map((members) =>
    members[0]
      ? {
          ownerId: members[0].ownerId,
          team: members.flatMap((member) => (member.userId ? [{ userId: member.userId }] : [])),
        }
      : null,
  );
}

export const decisionRoles = [
  "DECISION_MAKER",
  "INFLUENCER",
  "FINANCIAL",
  "TECHNICAL",
  "USER",
  "GATEKEEPER",
] as const satisfies readonly DecisionRole[];
export const attitudes = [
  "CHAMPION",
  "SUPPORTER",
  "NEUTRAL",
  "SCEPTIC",
  "OPPONENT",
] as const satisfies readonly Attitude[];
export const characterTypes = [
  "DOMINANT",
  "PEOPLE_ORIENTED",
  "DETAIL_ORIENTED",
] as const satisfies readonly CharacterType[];
export const contactChannels = [
  "EMAIL",
  "PHONE",
  "MEETING",
  "MESSAGING",
] as const satisfies readonly ContactChannel[];

const contactFields = {
  name: requiredText(200),
  title: text(200),
  department: text(200),
  decisionRole: z.enum(decisionRoles),
  influence: z
    .number()
    .int("must be a whole number")
    .min(1, "must be from 1 to 5")
    .max(5, "must be from 1 to 5"),
  attitude: z.enum(attitudes),
  characterType: z.enum(characterTypes).nullish(),
  reportsToId: z.string().nullish(),
  email: z.string().trim().max(200).pipe(z.email("must be an e-mail address")).nullish(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ().-]{4,30}$/, "must be a phone number such as +33 1 23 45 67 89")
    .nullish(),
  preferredChannel: z.enum(contactChannels).nullish(),
  lastContactedAt: pastDate.nullish(),
};

const createContactInput = z.object({ accountId: z.string(), ...contactFields });
const updateContactInput = versionedId.extend({
  name: notNull(contactFields.name),
  title: contactFields.title,
  department: contactFields.department,
  decisionRole: notNull(contactFields.decisionRole),
  influence: notNull(contactFields.influence),
  attitude: notNull(contactFields.attitude),
  characterType: contactFields.characterType,
  reportsToId: contactFields.reportsToId,
  email: contactFields.email,
  phone: contactFields.phone,
  preferredChannel: contactFields.preferredChannel,
  lastContactedAt: contactFields.lastContactedAt,
});

export type CreateContactInput = z.input<typeof createContactInput>;
export type UpdateContactInput = z.input<typeof updateContactInput>;

/** The fields that identify the person; erasure clears them. */
export const identifyingContactFields = ["name", "email", "phone"] as const;

/** Loads a contact whose account the principal may change. */
export async function loadWritableContact(tx: Tx, principal: Principal, id: string) {
  const contact = await tx.contact.findUnique({ where: { id } });
  if (!contact) throw new NotFoundError("Contact", id);
  const account = await loadWritableAccount(tx, principal, contact.accountId);
  return { contact, account };
}

/**
 * The contact a person would report to must be in the same account and must not, directly or
 * through others, report to the person: the org chart is a forest.
 */
async function assertValidManager(tx: Tx, accountId: string, contactId: string | null, reportsToId: string) {
  const manager = await tx.contact.findUnique({ where: { id: reportsToId }, select: { accountId: true } });
  if (!manager) throw new NotFoundError("Contact", reportsToId);
  if (manager.accountId !== accountId) {
    throw new ValidationError([{ path: "reportsToId", message: "must be a contact of the same account" }]);
  }
  if (!contactId) return;
  // Moves in one account queue up behind this row lock, so two crossed moves cannot both pass
  // the check below (PostgreSQL; SQLite runs one write transaction at a time anyway).
  await tx.$executeRaw`UPDATE "Account" SET "id" = "id" WHERE "id" = ${accountId}`;
  const chart = await tx.contact.findMany({ where: { accountId }, select: { id: true, reportsToId: true } });
  const managerOf = new Map(chart.map((row) => [row.id, row.reportsToId]));
  const seen = new Set<string>();
  for (let current: string | null | undefined = reportsToId; current; current = managerOf.get(current)) {
    if (current === contactId) throw new OrgChartCycleError();
    if (seen.has(current)) break;
    seen.add(current);
  }
}

export async function createContact(context: ServiceContext, input: CreateContactInput) {
  assertCanWriteAccounts(context.principal);
  const data = parseInput(createContactInput, input);
  return createAccountRecord(context, data.accountId, {
    entityType: "Contact",
    action: "contact.create",
    create: async (tx) => {
      if (data.reportsToId) await assertValidManager(tx, data.accountId, null, data.reportsToId);
      return tx.contact.create({
        data: {
          accountId: data.accountId,
          name: data.name,
          title: data.title ?? null,
          department: data.department ?? null,
          decisionRole: data.decisionRole,
          influence: data.influence,
          attitude: data.attitude,
          characterType: data.characterType ?? null,
          reportsToId: data.reportsToId ?? null,
          email: data.email ?? null,
          phone: data.phone ?? null,
          preferredChannel: data.preferredChannel ?? null,
          lastContactedAt: data.lastContactedAt ?? null,
        },
      });
    },
  });
}

export async function updateContact(context: ServiceContext, input: UpdateContactInput) {
  assertCanWriteAccounts(context.principal);
  const { id, version, ...fields } = parseInput(updateContactInput, input);
  return updateVersionedRecord(
    context,
    { id, version, changes: sentFields(fields) },
    {
      entityType: "Contact",
      action: "contact.update",
      delegate: (tx) => tx.contact,
      load: async (tx, principal, contactId) => (await loadWritableContact(tx, principal, contactId)).contact,
      check: async (tx, before) => {
        if (before.erasedAt && identifyingContactFields.some((field) => fields[field] !== undefined)) {
          throw new PersonalDataErasedError();
        }
        if (fields.reportsToId) await assertValidManager(tx, before.accountId, id, fields.reportsToId);
        return undefined;
      },
    },
  );
}

/** Moves a contact in the org chart; null makes them a root (reports to nobody at the client). */
export async function moveContact(
  context: ServiceContext,
  input: { id: string; version: number; reportsToId: string | null },
) {
  return updateContact(context, {
    id: input.id,
    version: input.version,
    reportsToId: input.reportsToId,
  });
}

/**
 * Removes a contact. The people who reported to them move up to their manager, and history
 * events keep their place but lose the link to the person.
 */
export async function removeContact(
  { db, principal }: ServiceContext,
  input: { id: string; version: number },
) {
  assertCanWriteAccounts(principal);
  const { id, version } = parseInput(versionedId, input);
  return db.prisma.$transaction(async (tx) => {
    const { contact } = await loadWritableContact(tx, principal, id);
    await claimVersion(tx.contact, id, version, {});
    await tx.contact.updateMany({ where: { reportsToId: id }, data: { reportsToId: contact.reportsToId } });
    await tx.contact.delete({ where: { id } });
    await recordAudit(tx, principal, {
      action: "contact.remove",
      entityType: "Contact",
      entityId: id,
      before: contact,
    });
    return contact;
  });
}
