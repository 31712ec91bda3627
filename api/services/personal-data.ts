/**
 * Personal facts about decision-unit members: the GDPR Art. 14 duties. Who may see them, the log
 * of every read, subject access (export), erasure without breaking the business record, and the
 * retention review.
 */
import { z } from "zod";
import { type ContactPersonalFacts, type LegalBasis, Prisma } from "../../prisma/generated/sqlite/client.ts";
import {
  assertCanHandleDataRequests,
  assertCanWriteAccounts,
  assertCanWritePersonalData,
  canSeePersonalData,
} from "../auth/permissions.ts";
import { type Principal, principalLabel } from "../auth/principal.ts";
import { inOrderOf } from "../db/batches.ts";
import type { Dialect } from "../db/dialect.ts";
import { readModelRows } from "../db/model-rows.ts";
import { newRecordIds } from "../db/record-ids.ts";
import { NotFoundError, PersonalDataErasedError } from "../errors.ts";
import { optionalText, parseInput, pastDate, requiredText } from "../validation.ts";
import { recordAudit, type Tx } from "./audit.ts";
import { loadWritableContact } from "./contacts.ts";
import type { ServiceContext, SystemContext } from "./context.ts";
import { readSettings } from "./settings.ts";

export const legalBases = [
  "LEGITIMATE_INTEREST",
  "CONSENT",
  "CONTRACT",
  "LEGAL_OBLIGATION",
] as const satisfies readonly LegalBasis[];

export const erasedContactName = "Erased contact";
export const erasedTextPlaceholder = "[erased]";

/** The personal-fact fields; their values never go into the audit log, only their names. */
const personalFactFields = ["birthday", "hobbies", "family", "values", "notes"] as const;

// ---------------------------------------------------------------------------------------------
// Birthdays: stored as month, day and optional year, so "--04-12" (no year) is possible.

const birthdayPattern = /^(?:(\d{4})|-)-(\d{2})-(\d{2})$/;

export function parseBirthday(value: string) {
  const match = birthdayPattern.exec(value.trim());
  if (!match) return null;
  const year = match[1] ? Number(match[1]) : null;
  const month = Number(match[2]);
  const day = Number(match[3]);
  const probe = new Date(Date.UTC(year ?? 2000, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  if (year !== null && (year < 1900 || probe > new Date())) return null;
  return { birthYear: year, birthMonth: month, birthDay: day };
}

export function formatBirthday(facts: {
  birthYear: number | null;
  birthMonth: number | null;
  birthDay: number | null;
}) {
  if (!facts.birthMonth || !facts.birthDay) return null;
  const monthDay = `${String(facts.birthMonth).padStart(2, "0")}-${String(facts.birthDay).padStart(2, "0")}`;
  return facts.birthYear ? `${facts.birthYear}-${monthDay}` : `--${monthDay}`;
}

// ---------------------------------------------------------------------------------------------
// The read log.

export type Purpose = "read" | "export" | "birthdays" | "review";

function actorFields(principal: Principal) {
  return {
    actorKind: principal.kind === "user" ? ("USER" as const) : ("API_KEY" as const),
    actorId: principal.kind === "user" ? principal.user.id : principal.apiKey.id,
    actorLabel: principalLabel(principal),
  };
}

export async function recordPersonalDataReads(
  tx: Tx,
  dialect: Dialect,
  principal: Principal,
  contactIds: string[],
  purpose: Purpose,
) {
  await recordReads(
    tx,
    dialect,
    principal,
    [...new Set(contactIds)].map((contactId) => ({ contactId, purpose })),
  );
}

/** The reads in one INSERT: one statement, atomic on its own, with no transaction around it. */
async function recordReads(
  tx: Tx,
  dialect: Dialect,
  principal: Principal,
  reads: { contactId: string; purpose: Purpose }[],
) {
  if (reads.length === 0) return;
  const { actorKind, actorId, actorLabel } = actorFields(principal);
  const id = newRecordIds(reads.length);
  const at = dialect.timestamp(new Date());
  const rows = reads.map(
    (read) =>
      Prisma.sql`(${id()}, ${read.contactId}, ${actorKind}, ${actorId}, ${actorLabel}, ${read.purpose}, ${at})`,
  );
  await tx.$executeRaw`INSERT INTO "PersonalDataAccess" ("id", "contactId", "actorKind", "actorId", "actorLabel", "purpose", "at")
    VALUES ${Prisma.join(rows)}`;
}

/**
 * The personal facts held about each contact, null where none are: one statement. Who may see
 * them is the caller's to check (canSeePersonalData), and each shown is logged (PersonalDataReadLog).
 */
export async function personalFactsOfContacts(
  { db }: SystemContext,
  contactIds: readonly string[],
): Promise<(ContactPersonalFacts | null)[]> {
  const rows = await readModelRows<ContactPersonalFacts>(
    db,
    "ContactPersonalFacts",
    db.dialect.inList(Prisma.sql`"contactId"`, contactIds),
  );
  return inOrderOf(rows, (row) => row.contactId, contactIds);
}

/**
 * Collects the personal-fact reads of one GraphQL request and writes them in one statement;
 * every resolver that shows personal facts waits until its read is recorded.
 */
export class PersonalDataReadLog {
  /**
   * Each contact is logged once per request and purpose, however many fields or aliases of the
   * request show it: a hundred aliases of upcomingBirthdays log each contact once.
   */
  private recorded = new Map<string, Promise<void>>();
  private pending: { contactId: string; purpose: Purpose }[] = [];
  private flush: Promise<void> | null = null;

  constructor(
    private readonly prisma: Tx,
    private readonly dialect: Dialect,
    private readonly principal: Principal,
  ) {}

  record(contactId: string, purpose: Purpose = "read"): Promise<void> {
    const key = `${purpose}:${contactId}`;
    const known = this.recorded.get(key);
    if (known) return known;
    this.pending.push({ contactId, purpose });
    if (!this.flush) {
      this.flush = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        const reads = this.pending;
        this.pending = [];
        this.flush = null;
        await recordReads(this.prisma, this.dialect, this.principal, reads);
      });
    }
    this.recorded.set(key, this.flush);
    return this.flush;
  }

  /** Several contacts read for one purpose, recorded with the request's other reads. */
  async recordAll(contactIds: string[], purpose: Purpose): Promise<void> {
    await Promise.all(contactIds.map((contactId) => this.record(contactId, purpose)));
  }
}

// ---------------------------------------------------------------------------------------------
// Writing personal facts.

const personalFactsInput = z.object({
  contactId: z.string(),
  birthday: z
    .string()
    .refine(
      (value) => parseBirthday(value) !== null,
      "must be a date such as 1975-04-12, or --04-12 without the year",
    )
    .nullish(),
  hobbies: optionalText(1000),
  family: optionalText(1000),
  values: optionalText(1000),
  notes: optionalText(5000),
  source: requiredText(300),
  collectedAt: pastDate,
  legalBasis: z.enum(legalBases),
  subjectInformedAt: pastDate.nullish(),
});

/** Records or replaces a contact's personal facts; saving them confirms them for the retention review. */
export async function setContactPersonalFacts(
  { db, principal, clock }: ServiceContext,
  input: z.input<typeof personalFactsInput>,
) {
  assertCanWriteAccounts(principal);
  const { contactId, birthday, ...facts } = parseInput(personalFactsInput, input);
  return db.prisma.$transaction(async (tx) => {
    const { contact, account } = await loadWritableContact(tx, principal, contactId);
    assertCanWritePersonalData(principal, account);
    if (contact.erasedAt) throw new PersonalDataErasedError();
    const born = birthday ? parseBirthday(birthday) : null;
    const data = {
      birthYear: born?.birthYear ?? null,
      birthMonth: born?.birthMonth ?? null,
      birthDay: born?.birthDay ?? null,
      hobbies: facts.hobbies ?? null,
      family: facts.family ?? null,
      values: facts.values ?? null,
      notes: facts.notes ?? null,
      source: facts.source,
      collectedAt: facts.collectedAt,
      legalBasis: facts.legalBasis,
      subjectInformedAt: facts.subjectInformedAt ?? null,
      confirmedAt: clock.now(),
    };
    const saved = await tx.contactPersonalFacts.upsert({
      where: { contactId },
      create: { contactId, ...data },
      update: data,
    });
    await recordAudit(tx, principal, {
      action: "contact.personalFacts.set",
      entityType: "Contact",
      entityId: contactId,
      // Which facts are held, never their values: the audit log must not become a copy of them.
      after: {
        factsHeld: personalFactFields.filter((field) => (field === "birthday" ? born : facts[field])),
        source: facts.source,
        legalBasis: facts.legalBasis,
        collectedAt: facts.collectedAt,
        subjectInformedAt: facts.subjectInformedAt ?? null,
      },
    });
    return saved;
  });
}

export async function confirmContactPersonalFacts(
  { db, principal, clock }: ServiceContext,
  contactId: string,
) {
  assertCanWriteAccounts(principal);
  return db.prisma.$transaction(async (tx) => {
    const { account } = await loadWritableContact(tx, principal, contactId);
    assertCanWritePersonalData(principal, account);
    const existing = await tx.contactPersonalFacts.findUnique({ where: { contactId } });
    if (!existing) throw new NotFoundError("ContactPersonalFacts", contactId);
    const saved = await tx.contactPersonalFacts.update({
      where: { contactId },
      data: { confirmedAt: clock.now() },
    });
    await recordAudit(tx, principal, {
      action: "contact.personalFacts.confirm",
      entityType: "Contact",
      entityId: contactId,
      before: { confirmedAt: existing.confirmedAt },
      after: { confirmedAt: saved.confirmedAt },
    });
    return saved;
  });
}

// ---------------------------------------------------------------------------------------------
// Which accounts' personal facts a principal may see, as a Prisma filter.

export function personalDataAccountWhere(principal: Principal): Prisma.AccountWhereInput | null {
  if (principal.kind === "apiKey") return principal.scopes.has("personal_data") ? {} : null;
  if (principal.user.role === "ADMIN") return {};
  const userId = principal.user.id;
  return { OR: [{ ownerId: userId }, { team: { some: { userId } } }] };
}

// ---------------------------------------------------------------------------------------------
// Upcoming birthdays.

export interface UpcomingBirthday {
  contactId: string;
  accountId: string;
  /** The next birthday, at midnight UTC. */
  date: Date;
  daysUntil: number;
  /** The age they turn, when the year of birth is known. */
  turning: number | null;
}

export function nextBirthday(month: number, day: number, from: Date): Date {
  const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (const year of [from.getUTCFullYear(), from.getUTCFullYear() + 1, from.getUTCFullYear() + 2]) {
    // 29 February is celebrated on 28 February in other years.
    const isLeap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
    const effectiveDay = month === 2 && day === 29 && !isLeap ? 28 : day;
    const candidate = Date.UTC(year, month - 1, effectiveDay);
    if (candidate >= start) return new Date(candidate);
  }
  throw new Error("unreachable");
}

export async function upcomingBirthdays(
  { db, principal, clock }: ServiceContext,
  days: number,
  /** The request's read log; each contact shown is recorded there once. */
  reads: PersonalDataReadLog,
): Promise<UpcomingBirthday[]> {
  const { days: window } = parseInput(
    z.object({ days: z.number().int().min(0).max(366, "at most 366 days") }),
    { days },
  );
  const accountWhere = personalDataAccountWhere(principal);
  if (!accountWhere) return [];
  const facts = await db.prisma.contactPersonalFacts.findMany({
    where: {
      birthMonth: { not: null },
      birthDay: { not: null },
      contact: { account: { ...accountWhere, archivedAt: null } },
    },
    select: {
      contactId: true,
      birthMonth: true,
      birthDay: true,
      birthYear: true,
      contact: { select: { accountId: true } },
    },
  });
  const now = clock.now();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const upcoming = facts
    .map((fact) => {
      const date = nextBirthday(fact.birthMonth as number, fact.birthDay as number, now);
      return {
        contactId: fact.contactId,
        accountId: fact.contact.accountId,
        date,
        daysUntil: Math.round((date.getTime() - today) / 86_400_000),
        turning: fact.birthYear ? date.getUTCFullYear() - fact.birthYear : null,
      };
    })
    .filter((birthday) => birthday.daysUntil <= window)
    .sort((a, b) => a.daysUntil - b.daysUntil || a.contactId.localeCompare(b.contactId));
  await reads.recordAll(
    upcoming.map((birthday) => birthday.contactId),
    "birthdays",
  );
  return upcoming;
}

// ---------------------------------------------------------------------------------------------
// Retention review.

export async function personalDataReviewWhere({
  db,
  principal,
  clock,
}: ServiceContext): Promise<Prisma.ContactWhereInput | null> {
  const accountWhere = personalDataAccountWhere(principal);
  if (!accountWhere) return null;
  const { personalDataReviewMonths } = await readSettings(db);
  const threshold = clock.now();
  threshold.setUTCMonth(threshold.getUTCMonth() - personalDataReviewMonths);
  return { account: accountWhere, personalFacts: { confirmedAt: { lt: threshold } } };
}

// ---------------------------------------------------------------------------------------------
// Subject access.

export async function exportContactData({ db, principal, clock }: ServiceContext, contactId: string) {
  assertCanHandleDataRequests(principal);
  const contact = await db.prisma.contact.findUnique({
    where: { id: contactId },
    include: {
      personalFacts: true,
      account: { select: { id: true, name: true } },
      reportsTo: { select: { id: true, name: true, title: true } },
      events: { orderBy: { occurredAt: "desc" } },
    },
  });
  if (!contact) throw new NotFoundError("Contact", contactId);
  const [auditEntries, accessLog] = await Promise.all([
    db.prisma.auditEntry.findMany({
      where: { entityType: "Contact", entityId: contactId },
      orderBy: { at: "asc" },
    }),
    db.prisma.personalDataAccess.findMany({ where: { contactId }, orderBy: { at: "asc" } }),
  ]);
  await recordPersonalDataReads(db.prisma, db.dialect, principal, [contactId], "export");
  const { personalFacts, events, ...person } = contact;
  return {
    exportedAt: clock.now(),
    person,
    personalFacts: personalFacts ? { ...personalFacts, birthday: formatBirthday(personalFacts) } : null,
    historyEvents: events,
    auditEntries,
    accessLog,
  };
}

// ---------------------------------------------------------------------------------------------
// Erasure.

function escapeRegExp(value: string) {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Replaces every mention of the identifying strings, in any case, inside strings of any JSON shape. */
export function scrub<T>(value: T, identifiers: string[], placeholder = erasedTextPlaceholder): T {
  const patterns = identifiers
    .filter((identifier) => identifier.trim().length >= 3)
    .map((identifier) => new RegExp(escapeRegExp(identifier.trim()), "giu"));
  const walk = (node: unknown): unknown => {
    if (typeof node === "string")
      return patterns.reduce((text, pattern) => text.replace(pattern, placeholder), node);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === "object" && !(node instanceof Date)) {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]));
    }
    return node;
  };
  return walk(value) as T;
}

/** The text columns outside the contact row where a person may be named. */
const namingColumns = {
  account: ["description", "history", "organisation", "marketEnvironment", "keyProducts"],
  accountEvent: ["title", "details", "resolution", "reason", "winner"],
  competitor: ["offering", "strengths", "weaknesses"],
  contactPersonalFacts: ["hobbies", "family", "values", "notes"],
  contact: ["title", "department"],
  score: ["evidence"],
  scoreChange: ["evidence"],
  prospectQualification: ["needNote", "solvencyNote", "authorityNote"],
} as const;

/** How to name one row of each of those models. */
function rowKey(model: keyof typeof namingColumns, row: Record<string, unknown>) {
  if (model === "contactPersonalFacts") return { contactId: row.contactId };
  if (model === "prospectQualification") return { accountId: row.accountId };
  if (model === "score")
    return { accountId_criterionId: { accountId: row.accountId, criterionId: row.criterionId } };
  return { id: row.id };
}

function containsAny(dialect: Dialect, columns: readonly string[], identifiers: string[]) {
  return {
    OR: columns.flatMap((column) =>
      identifiers.map((identifier) => ({ [column]: dialect.contains(identifier) })),
    ),
  };
}

/** Spellings to search for: SQLite matches only ASCII letters without regard to case. */
function searchVariants(identifiers: string[]) {
  return [...new Set(identifiers.flatMap((value) => [value, value.toLowerCase(), value.toUpperCase()]))];
}

async function auditEntriesMentioning(tx: Tx, dialect: Dialect, identifiers: string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const identifier of searchVariants(identifiers)) {
    // JSON text escapes quotes and backslashes, so search for the name as JSON writes it.
    const asJson = JSON.stringify(identifier).slice(1, -1);
    const pattern = `%${asJson.replace(/[\\%_]/g, "\\$&")}%`;
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "AuditEntry"
      WHERE ${dialect.jsonTextLike(Prisma.sql`"before"`, pattern)} OR ${dialect.jsonTextLike(Prisma.sql`"after"`, pattern)}`;
    for (const row of rows) ids.add(row.id);
  }
  return [...ids];
}

/**
 * Erases a person's personal data everywhere it is held — the personal facts, their name, e-mail
 * and phone on the contact, every mention in history texts, dossier texts and audit snapshots —
 * while the business record stays: the contact keeps its role, influence and place in the org
 * chart under a neutral name, and the account's events stay.
 */
export async function eraseContactPersonalData({ db, principal, clock }: ServiceContext, contactId: string) {
  assertCanHandleDataRequests(principal);
  return db.prisma.$transaction(async (tx) => {
    const contact = await tx.contact.findUnique({ where: { id: contactId } });
    if (!contact) throw new NotFoundError("Contact", contactId);
    const identifiers = [contact.name, contact.email, contact.phone].filter(
      (value): value is string => !!value && value !== erasedContactName && value.trim().length >= 3,
    );

    await tx.contactPersonalFacts.deleteMany({ where: { contactId } });
    const erasedAt = contact.erasedAt ?? clock.now();
    await tx.contact.update({
      where: { id: contactId },
      data: { name: erasedContactName, email: null, phone: null, erasedAt, version: { increment: 1 } },
    });

    const scrubbed: Record<string, number> = {};
    if (identifiers.length) {
      for (const [model, columns] of Object.entries(namingColumns) as [
        keyof typeof namingColumns,
        readonly string[],
      ][]) {
        // biome-ignore lint/suspicious/noExplicitAny: the same scrub runs over several models' text columns.
        const delegate = tx[model] as any;
        const rows: Record<string, unknown>[] = await delegate.findMany({
          where: containsAny(db.dialect, columns, searchVariants(identifiers)),
        });
        for (const row of rows) {
          const changes = Object.fromEntries(
            columns.map((column) => [column, scrub(row[column], identifiers)]),
          );
          const bump = "version" in row ? { version: { increment: 1 } } : {};
          await delegate.update({ where: rowKey(model, row), data: { ...changes, ...bump } });
        }
        scrubbed[model] = rows.length;
      }
      const auditIds = await auditEntriesMentioning(tx, db.dialect, identifiers);
      for (const id of auditIds) {
        const entry = await tx.auditEntry.findUniqueOrThrow({ where: { id } });
        await tx.auditEntry.update({
          where: { id },
          data: {
            before: (scrub(entry.before, identifiers) ?? undefined) as Prisma.InputJsonValue | undefined,
            after: (scrub(entry.after, identifiers) ?? undefined) as Prisma.InputJsonValue | undefined,
          },
        });
      }
      scrubbed.auditEntry = auditIds.length;
    }

    await recordAudit(tx, principal, {
      action: "contact.personalData.erase",
      entityType: "Contact",
      entityId: contactId,
      after: { erasedAt, recordsScrubbed: scrubbed },
    });
    return tx.contact.findUniqueOrThrow({ where: { id: contactId } });
  });
}

export { canSeePersonalData };
