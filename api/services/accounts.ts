import { z } from "zod";
import {
  type Account,
  type AccountStatus,
  Prisma,
  type RevenueBand,
} from "../../prisma/generated/sqlite/client.ts";
import {
  assertCanReadAccounts,
  assertCanWriteAccount,
  assertCanWriteAccounts,
  isAdmin,
} from "../auth/permissions.ts";
import type { Principal } from "../auth/principal.ts";
import { inOrderOf } from "../db/batches.ts";
import type { Dialect } from "../db/dialect.ts";
import { readModelRows } from "../db/model-rows.ts";
import {
  AccountArchivedError,
  AlreadyExistsError,
  errorWithin,
  ForbiddenError,
  InvalidIdError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from "../errors.ts";
import { idOfType } from "../global-id.ts";
import { notNull, optionalText, parseInput, requiredText, sentFields, versionedId } from "../validation.ts";
import { recordAudit, type Tx } from "./audit.ts";
import { claimVersion } from "./concurrency.ts";
import type { ServiceContext, SystemContext } from "./context.ts";
import { loadSavedFilter } from "./saved-segments.ts";
import {
  type AbcClass,
  computeSegmentation,
  type Segmentation,
  segmentsOf,
  type XyzClass,
} from "./segments.ts";
import type { SegmentSettingsTrial } from "./settings.ts";

export const revenueBands = [
  "UNDER_1M",
  "FROM_1M_TO_10M",
  "FROM_10M_TO_50M",
  "FROM_50M_TO_250M",
  "FROM_250M_TO_1B",
  "OVER_1B",
] as const satisfies readonly RevenueBand[];

export const accountStatuses = [
  "PROSPECT",
  "ACTIVE",
  "AT_RISK",
  "LOST",
] as const satisfies readonly AccountStatus[];

export interface AccountFilter {
  /** Case-insensitive part of the name or external ID. */
  search?: string | null;
  status?: AccountStatus[] | null;
  ownerId?: string | null;
  isKeyAccount?: boolean | null;
  includeArchived?: boolean | null;
  industry?: string | null;
  region?: string | null;
  /** Accounts with (true) or without (false) a complaint not yet resolved. */
  hasOpenComplaint?: boolean | null;
  /** Accounts with no meeting, call or e-mail since this instant (never contacted included). */
  lastContactBefore?: Date | null;
}

export const contactEventKinds = ["MEETING", "CALL", "EMAIL"] as const;

export type AccountOrderField = "NAME" | "CREATED_AT";
export type SortDirection = "ASC" | "DESC";

/** The longest `search` text: longer than any name or ERP ID. */
export const maxSearchLength = 200;

const filterText = (max: number) => z.string().max(max, `must be at most ${max} characters`).nullish();
const someOf = <T extends [string, ...string[]]>(values: T) =>
  z.array(z.enum(values)).max(values.length, `at most ${values.length} values, each once`).nullish();

/**
 * The rules of an account filter, the same for `accounts(filter)` and a saved segment's filter:
 * bounded texts and lists, so a filter cannot grow without end. The classes' segment settings
 * are checked where they are used (withTrialSegmentSettings).
 */
export const accountFilterSchema = z
  .object({
    savedSegmentId: filterText(200),
    abc: someOf(["A", "B", "C"]),
    xyz: someOf(["X", "Y", "Z"]),
    segmentSettings: z.record(z.string(), z.unknown()).nullish(),
    industry: filterText(200),
    region: filterText(200),
    hasOpenComplaint: z.boolean().nullish(),
    lastContactBefore: z.union([z.date(), filterText(40)]).nullish(),
    search: filterText(maxSearchLength),
    status: someOf([...accountStatuses]),
    ownerId: filterText(200),
    isKeyAccount: z.boolean().nullish(),
    includeArchived: z.boolean().nullish(),
  })
  .strict();

/** Checks a filter against the rules; `root` names where it sits in the errors (a saved segment's `filter`). */
export function checkAccountFilter<F>(filter: F, root = ""): F {
  if (filter !== null && filter !== undefined) parseInput(accountFilterSchema, filter, root);
  return filter;
}

/** A search text, trimmed; blank is no search. */
export function searchText(search: string | null | undefined, path = "search"): string | null {
  // Also checked with the whole filter (accountFilterSchema); this guards direct callers.
  const text = search?.trim() ?? "";
  if (text.length > maxSearchLength) {
    throw new ValidationError([{ path, message: `must be at most ${maxSearchLength} characters` }]);
  }
  return text || null;
}

/**
 * `search` means "contains this text". LIKE would read % and _ as wildcards (and SQLite's LIKE
 * has no escape character unless told), so a text holding one is matched with instr/strpos
 * instead, in one statement, case-insensitive like LIKE.
 */
export async function literalSearchMatches({ db }: ServiceContext, search: string): Promise<string[] | null> {
  if (!/[%_\\]/.test(search)) return null;
  const { dialect } = db;
  const rows = await db.read<{ id: string }>(Prisma.sql`SELECT "id" FROM "Account"
    WHERE ${dialect.holdsText(Prisma.sql`"name"`, search)}
      OR ${dialect.holdsText(Prisma.sql`coalesce("externalId", '')`, search)}`);
  return rows.map((row) => row.id);
}

export function accountWhere(
  filter: AccountFilter | null | undefined,
  dialect: Dialect,
  /** The accounts a search with a wildcard character in it matches (literalSearchMatches). */
  literalMatches?: string[] | null,
): Prisma.AccountWhereInput {
  const search = searchText(filter?.search);
  const contains = dialect.contains;
  return {
    ...(filter?.includeArchived ? {} : { archivedAt: null }),
    ...(search && literalMatches
      ? { id: { in: literalMatches } }
      : search
        ? { OR: [{ name: contains(search) }, { externalId: contains(search) }] }
        : {}),
    ...(filter?.status?.length ? { status: { in: filter.status } } : {}),
    ...(filter?.ownerId ? { ownerId: filter.ownerId } : {}),
    ...(typeof filter?.isKeyAccount === "boolean" ? { isKeyAccount: filter.isKeyAccount } : {}),
    ...(filter?.industry ? { industry: filter.industry } : {}),
    ...(filter?.region ? { region: filter.region } : {}),
    ...(typeof filter?.hasOpenComplaint === "boolean"
      ? { events: { [filter.hasOpenComplaint ? "some" : "none"]: { kind: "COMPLAINT", resolvedAt: null } } }
      : {}),
    ...(filter?.lastContactBefore
      ? {
          AND: [
            {
              events: {
                none: { kind: { in: [...contactEventKinds] }, occurredAt: { gte: filter.lastContactBefore } },
              },
            },
          ],
        }
      : {}),
  };
}

/**
 * An account filter as `accounts(filter)` receives it and a saved segment stores it: IDs in their
 * global form, an instant as a Date or as stored text.
 */
export type AccountsFilter = Omit<AccountFilter, "ownerId" | "lastContactBefore"> & {
  ownerId?: string | number | null;
  abc?: AbcClass[] | null;
  xyz?: XyzClass[] | null;
  segmentSettings?: SegmentSettingsTrial | null;
  savedSegmentId?: string | number | null;
  lastContactBefore?: Date | string | null;
  [key: string]: unknown;
};

/** Every account's ABC-XYZ classes under the stored settings, or under settings being tried. */
export type SegmentationSource = (
  settings: SegmentSettingsTrial | null | undefined,
) => Promise<Pick<Segmentation, "segments">>;

/**
 * The accounts a filter selects: its own conditions, the saved segment it names (whose filter
 * is applied as well) and the ABC-XYZ classes it asks for. `segmentation` gives the classes (the
 * request's, computed once); by default they are computed here.
 */
export async function accountsWhere(
  context: ServiceContext,
  filter: AccountsFilter | null | undefined,
  segmentation: SegmentationSource = (settings) => computeSegmentation(context, settings),
): Promise<Prisma.AccountWhereInput> {
  checkAccountFilter(filter);
  const lastContactBefore =
    typeof filter?.lastContactBefore === "string"
      ? new Date(filter.lastContactBefore)
      : filter?.lastContactBefore;
  const ownerId =
    filter?.ownerId === null || filter?.ownerId === undefined
      ? filter?.ownerId
      : idOfType(String(filter.ownerId), "User");
  const search = searchText(typeof filter?.search === "string" ? filter.search : null);
  const where = accountWhere(
    filter ? { ...filter, lastContactBefore, ownerId } : filter,
    context.db.dialect,
    search ? await literalSearchMatches(context, search) : null,
  );
  const parts = [where];
  if (filter?.savedSegmentId) {
    const saved = await loadSavedFilter(context, idOfType(String(filter.savedSegmentId), "SavedSegment"));
    parts.push(await accountsWhere(context, { ...saved, savedSegmentId: null }, segmentation));
  }
  if (filter?.abc?.length || filter?.xyz?.length) {
    const classes = await segmentation(filter.segmentSettings).catch((error) => {
      throw errorWithin("segmentSettings", error);
    });
    const members = segmentsOf(classes, filter);
    parts.push({ id: { in: members.map((segment) => segment.accountId) } });
  }
  return parts.length === 1 ? where : { AND: parts };
}

export function accountOrderBy(
  field: AccountOrderField = "NAME",
  direction: SortDirection = "ASC",
): Prisma.AccountOrderByWithRelationInput[] {
  const dir = direction === "DESC" ? "desc" : "asc";
  // The ID breaks ties so that cursors are stable.
  return field === "CREATED_AT" ? [{ createdAt: dir }, { id: dir }] : [{ sortName: dir }, { id: dir }];
}

/** The key accounts sort by: case and accents folded, so "école" sorts with "Ecole". */
export function accountSortName(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase("en");
}

/** The longest external ID an account can hold (see `externalId` in the account fields). */
const externalIdMaxLength = 100;

/**
 * The account whose ERP ID is exactly `externalId` (trimmed, as stored), archived or not, as
 * `account(id)` answers for a KAM ID; `search` matches parts of names and IDs, this matches one.
 */
export async function findAccountByExternalId(
  { db, principal }: ServiceContext,
  externalId: string,
): Promise<Account> {
  assertCanReadAccounts(principal);
  const key = externalId.trim();
  if (key === "" || key.length > externalIdMaxLength) throw new InvalidIdError(externalId, "ERP external");
  const [account] = await readModelRows<Account>(db, "Account", Prisma.sql`"externalId" = ${key}`);
  if (!account) throw new NotFoundError("Account", key, "external ID");
  return account;
}

/** Whether a value is an account row (the type of a node read by ID). */
export function isAccountRow(value: unknown): value is Account {
  return typeof value === "object" && value !== null && "sortName" in value && "isKeyAccount" in value;
}

/** The columns every read of accounts includes (the others only when asked for). */
export const accountKeyColumns = ["id", "sortName", "isKeyAccount"] as const;

/** Accounts by ID, null for an unknown one (all columns unless some are named): one statement. */
export async function accountsById(
  { db }: SystemContext,
  ids: readonly string[],
  columns?: readonly string[],
): Promise<(Account | null)[]> {
  return inOrderOf(
    await readModelRows<Account>(db, "Account", db.dialect.inList(Prisma.sql`"id"`, ids), { columns }),
    (row) => row.id,
    ids,
  );
}

const accountFields = {
  name: requiredText(200),
  externalId: optionalText(externalIdMaxLength),
  industry: optionalText(100),
  region: optionalText(100),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "must be a two-letter ISO 3166-1 country code such as FR")
    .nullish(),
  website: z
    .string()
    .trim()
    .max(300, "must be at most 300 characters")
    .pipe(z.url({ protocol: /^https?$/, message: "must be an http(s) URL such as https://example.com" }))
    .nullish(),
  status: z.enum(accountStatuses).nullish(),
  isKeyAccount: z.boolean().nullish(),
  description: optionalText(5000),
  employeeCount: z
    .number()
    .int("must be a whole number")
    .min(0, "cannot be negative")
    .max(10_000_000)
    .nullish(),
  foundedYear: z
    .number()
    .int("must be a whole number")
    .min(1000, "must be a year such as 1987")
    .refine((year) => year <= new Date().getUTCFullYear(), "cannot be in the future")
    .nullish(),
  history: optionalText(5000),
  organisation: optionalText(5000),
  marketEnvironment: optionalText(5000),
  revenueBand: z.enum(revenueBands).nullish(),
  keyProducts: optionalText(2000),
  isImageMaker: z.boolean().nullish(),
  isExpert: z.boolean().nullish(),
  hasBudget: z.boolean().nullish(),
  ownerId: z.string().nullish(),
  teamMemberIds: z.array(z.string()).max(50, "at most 50 team members").optional(),
};

const createAccountInput = z.object(accountFields);
const updateAccountInput = versionedId.extend({
  ...accountFields,
  name: notNull(accountFields.name),
  status: notNull(z.enum(accountStatuses)),
  isKeyAccount: notNull(z.boolean()),
  isImageMaker: notNull(z.boolean()),
  isExpert: notNull(z.boolean()),
});

export type CreateAccountInput = z.input<typeof createAccountInput>;
export type UpdateAccountInput = z.input<typeof updateAccountInput>;

const withTeam = { team: { select: { userId: true } } } as const;

function auditView(account: Account & { team?: { userId: string }[] }) {
  const { team, ...rest } = account;
  return { ...rest, teamMemberIds: team?.map((member) => member.userId).sort() };
}

async function assertStaffUsers(
  tx: Tx,
  ownerId: string | null | undefined,
  teamMemberIds: string[] | undefined,
) {
  const ids = [...new Set([...(ownerId ? [ownerId] : []), ...(teamMemberIds ?? [])])];
  if (ids.length === 0) return;
  const users = await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, role: true } });
  for (const id of ids) {
    const user = users.find((candidate) => candidate.id === id);
    if (!user) throw new NotFoundError("User", id);
    if (id === ownerId && user.role === "VIEWER") {
      throw new ValidationError([{ path: "ownerId", message: "the owner must be a manager or an admin" }]);
    }
  }
}

async function assertExternalIdFree(tx: Tx, externalId: string | null | undefined, accountId?: string) {
  if (!externalId) return;
  const other = await tx.account.findUnique({ where: { externalId }, select: { id: true } });
  if (other && other.id !== accountId) throw new AlreadyExistsError("externalId", externalId);
}

/** Two writers racing for the same external ID: the database's unique index decides, typed. */
function externalIdRace(externalId: string | null | undefined) {
  return (error: unknown): never => {
    if (externalId && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AlreadyExistsError("externalId", externalId);
    }
    throw error;
  };
}

/**
 * Key accounts are chosen by the selection rule (confirmKeyAccounts, admins); only an admin may
 * set the flag by hand, so a manager cannot make their own account key around the rule.
 */
function assertMaySetKeyAccount(principal: Principal, wanted: boolean | null | undefined, current: boolean) {
  if (wanted === null || wanted === undefined || wanted === current || isAdmin(principal)) return;
  throw new ForbiddenError(
    "Key accounts are chosen by the selection rule: an admin confirms them with confirmKeyAccounts.",
  );
}

export async function createAccount({ db, principal }: ServiceContext, input: CreateAccountInput) {
  assertCanWriteAccounts(principal);
  const data = parseInput(createAccountInput, input);
  assertMaySetKeyAccount(principal, data.isKeyAccount, false);
  // A manager who creates an account owns it unless they name someone else.
  const ownerId =
    data.ownerId !== undefined ? data.ownerId : principal.kind === "user" ? principal.user.id : null;
  return db.prisma
    .$transaction(async (tx) => {
      await assertStaffUsers(tx, ownerId, data.teamMemberIds);
      await assertExternalIdFree(tx, data.externalId);
      const account = await tx.account.create({
        data: {
          name: data.name,
          sortName: accountSortName(data.name),
          externalId: data.externalId ?? null,
          industry: data.industry ?? null,
          region: data.region ?? null,
          country: data.country ?? null,
          website: data.website ?? null,
          description: data.description ?? null,
          employeeCount: data.employeeCount ?? null,
          foundedYear: data.foundedYear ?? null,
          history: data.history ?? null,
          organisation: data.organisation ?? null,
          marketEnvironment: data.marketEnvironment ?? null,
          revenueBand: data.revenueBand ?? null,
          keyProducts: data.keyProducts ?? null,
          isImageMaker: data.isImageMaker ?? false,
          isExpert: data.isExpert ?? false,
          hasBudget: data.hasBudget ?? null,
          status: data.status ?? "PROSPECT",
          isKeyAccount: data.isKeyAccount ?? false,
          ownerId,
          team: data.teamMemberIds
            ? { create: [...new Set(data.teamMemberIds)].map((userId) => ({ userId })) }
            : undefined,
        },
        include: withTeam,
      });
      await recordAudit(tx, principal, {
        action: "account.create",
        entityType: "Account",
        entityId: account.id,
        after: auditView(account),
      });
      return account;
    })
    .catch(externalIdRace(data.externalId));
}

/** The account, if it exists, is not archived and the principal may change it and what it holds. */
export async function loadWritableAccount(tx: Tx, principal: Principal, id: string) {
  const account = await tx.account.findUnique({ where: { id }, include: withTeam });
  if (!account) throw new NotFoundError("Account", id);
  assertCanWriteAccount(principal, account);
  if (account.archivedAt) throw new AccountArchivedError(id);
  return account;
}

async function loadForWrite(tx: Tx, principal: Principal, id: string, version: number) {
  const account = await loadWritableAccount(tx, principal, id);
  if (account.version !== version) throw new VersionConflictError(version, account.version);
  return account;
}

/** Reads the account as written and records the change with what it was before. */
async function recordAccountChange(
  tx: Tx,
  principal: Principal,
  action: string,
  before: Account & { team: { userId: string }[] },
) {
  const after = await tx.account.findUniqueOrThrow({ where: { id: before.id }, include: withTeam });
  await recordAudit(tx, principal, {
    action,
    entityType: "Account",
    entityId: before.id,
    before: auditView(before),
    after: auditView(after),
  });
  return after;
}

export async function updateAccount({ db, principal }: ServiceContext, input: UpdateAccountInput) {
  assertCanWriteAccounts(principal);
  const { id, version, teamMemberIds, ...fields } = parseInput(updateAccountInput, input);
  return db.prisma
    .$transaction(async (tx) => {
      const before = await loadForWrite(tx, principal, id, version);
      assertMaySetKeyAccount(principal, fields.isKeyAccount, before.isKeyAccount);
      await assertStaffUsers(tx, fields.ownerId, teamMemberIds);
      await assertExternalIdFree(tx, fields.externalId, id);
      const changes: Record<string, unknown> = sentFields(fields);
      if (fields.name) changes.sortName = accountSortName(fields.name);
      await claimVersion(tx.account, id, version, changes);
      if (teamMemberIds) {
        await tx.accountTeamMember.deleteMany({ where: { accountId: id, userId: { notIn: teamMemberIds } } });
        const existing = new Set(before.team.map((member) => member.userId));
        const added = [...new Set(teamMemberIds)].filter((userId) => !existing.has(userId));
        if (added.length)
          await tx.accountTeamMember.createMany({ data: added.map((userId) => ({ accountId: id, userId })) });
      }
      return recordAccountChange(tx, principal, "account.update", before);
    })
    .catch(externalIdRace(fields.externalId));
}

export async function archiveAccount(
  { db, principal, clock }: ServiceContext,
  input: { id: string; version: number },
) {
  assertCanWriteAccounts(principal);
  const { id, version } = parseInput(versionedId, input);
  return db.prisma.$transaction(async (tx) => {
    const before = await loadForWrite(tx, principal, id, version);
    await claimVersion(tx.account, id, version, { archivedAt: clock.now() });
    return recordAccountChange(tx, principal, "account.archive", before);
  });
}
