import { prismaConnectionHelpers } from "@pothos/plugin-prisma";
import type { DefaultConnectionArguments } from "@pothos/plugin-relay";
import type { GraphQLResolveInfo } from "graphql";
import { canWriteAccount } from "../api/auth/permissions.ts";
import { ForbiddenError, InvalidIdError, NotFoundError } from "../api/errors.ts";
import { accountEventOrder, accountEventWhere } from "../api/services/account-events.ts";
import {
  type AccountsFilter,
  accountKeyColumns,
  accountOrderBy,
  accountStatuses,
  accountsById,
  accountsWhere,
  archiveAccount,
  createAccount,
  findAccountByExternalId,
  isAccountRow,
  revenueBands,
  type UpdateAccountInput as UpdateAccountFields,
  updateAccount,
} from "../api/services/accounts.ts";
import type { Account as AccountRow, Prisma } from "../prisma/generated/sqlite/client.ts";
import { AccountEventFilter } from "./account-events.ts";
import { Account } from "./account-ref.ts";
import { builder } from "./builder.ts";
import { readsColumns, selectedColumns } from "./columns.ts";
import { Competitor, competitorsOf } from "./competitors.ts";
import { accountTeamOf, Contact, contactsOf } from "./contacts.ts";
import { type Context, perRequest, perRequestLoader } from "./context.ts";
import { accountWriteErrors } from "./errors.ts";
import { decodeId, decodeOptionalId } from "./ids.ts";
import { inArgument } from "./input-paths.ts";
import { AbcClassEnum, SegmentSettingsInput, segmentationFor, XyzClassEnum } from "./segments.ts";
import { teamOf, User, userById } from "./users.ts";

export const RevenueBandEnum = builder.enumType("RevenueBand", {
  description: "Annual revenue, in euros or the equivalent.",
  values: revenueBands,
});

export const AccountStatusEnum = builder.enumType("AccountStatus", {
  description: "Where the relationship stands.",
  values: accountStatuses,
});

/**
 * Accounts are read straight from the driver (api/services/accounts.ts), a batch per request;
 * what hangs off an account (contacts, owner, scores, segment…) is read per page, in a statement
 * per field.
 */
export { Account };

/** An account by ID (null when there is none), read with the request's others. */
export function accountById(context: Context, id: string): Promise<AccountRow | null> {
  return perRequestLoader<string, AccountRow | null>(context, "accountsById", (ids) =>
    accountsById(context, ids),
  ).load(id);
}

/** An account that must exist (a record that points at it holds its ID). */
export async function accountOrThrow(context: Context, id: string): Promise<AccountRow> {
  const account = await accountById(context, id);
  if (!account) throw new NotFoundError("Account", id);
  return account;
}

/**
 * The account as a start for its related records: Prisma reads the lookups by ID that a page's
 * fields make in the same tick in one statement, so `relatedOf(…).events(…)` on 50 accounts
 * costs what it costs on one.
 */
export function relatedOf(context: Context, accountId: string) {
  return context.db.prisma.account.findUnique({ where: { id: accountId } });
}

/** How many related records an account has, counted with the page's other accounts. */
export async function relatedCount(
  context: Context,
  accountId: string,
  count: Prisma.AccountCountOutputTypeSelect,
): Promise<number> {
  const row = await context.db.prisma.account.findUnique({
    where: { id: accountId },
    select: { _count: { select: count } },
  });
  return Object.values(row?._count ?? {})[0] ?? 0;
}

const accountPages = prismaConnectionHelpers(builder, "Account", { cursor: "id" });

/**
 * A page of the accounts `where` selects, in `orderBy` order (Relay arguments; cursors are by
 * ID): their IDs from one statement, their rows (the columns the page's fields read) from
 * another; totalCount is counted only when asked for (or given by `count`). `where` is asked for once the arguments
 * have been checked, so that a refused page leaves no read behind.
 */
export async function accountsPage(
  context: Context,
  info: GraphQLResolveInfo,
  args: DefaultConnectionArguments,
  where: () => Promise<Prisma.AccountWhereInput>,
  orderBy: Prisma.AccountOrderByWithRelationInput[],
  /** How many accounts `where` selects, when the caller knows it without counting them. */
  count?: () => Promise<number>,
) {
  const query = accountPages.getQuery(args, context, () => true);
  const selected = where();
  const ids = await context.db.prisma.account.findMany({ ...query, where: await selected, orderBy });
  const columns = selectedColumns(info, "Account", accountKeyColumns, ["edges", "node"]);
  const rows = await accountsById(
    context,
    ids.map(({ id }) => id),
    columns,
  );
  const page = accountPages.resolve(
    rows.filter((row) => row !== null),
    args,
    context,
  );
  return {
    ...page,
    totalCount: count ?? (async () => context.db.prisma.account.count({ where: await selected })),
  };
}

builder.node(Account, {
  description: "A client or prospect.",
  id: { resolve: (account) => account.id },
  authScopes: { readAccounts: true },
  loadMany: (ids, context) => accountsById(context, ids),
  isTypeOf: (value) => isAccountRow(value),
  fields: (t) => ({
    name: t.exposeString("name"),
    externalId: t.exposeString("externalId", { nullable: true, description: "The account's ID in the ERP." }),
    industry: t.exposeString("industry", { nullable: true }),
    region: t.exposeString("region", { nullable: true }),
    country: t.exposeString("country", { nullable: true, description: "ISO 3166-1 alpha-2 code." }),
    website: t.exposeString("website", { nullable: true }),
    description: t.exposeString("description", { nullable: true }),
    employeeCount: t.exposeInt("employeeCount", { nullable: true }),
    foundedYear: t.exposeInt("foundedYear", { nullable: true }),
    history: t.exposeString("history", { nullable: true }),
    organisation: t.exposeString("organisation", {
      nullable: true,
      description: "How the client is organised.",
    }),
    marketEnvironment: t.exposeString("marketEnvironment", { nullable: true }),
    revenueBand: t.expose("revenueBand", { type: RevenueBandEnum, nullable: true }),
    keyProducts: t.exposeString("keyProducts", {
      nullable: true,
      description: "What the client buys from us.",
    }),
    contacts: t.field({
      type: [Contact],
      description: "Everyone in the decision-making unit, most influential first.",
      resolve: (account, _args, context, info) => contactsOf(context, account.id, info),
    }),
    decisionUnit: t.field({
      type: [Contact],
      description:
        "The decision-making unit as an org chart: the contacts who report to nobody at the client; follow `reports` down.",
      resolve: (account, _args, context, info) => contactsOf(context, account.id, info, true),
    }),
    events: t.prismaConnection({
      type: "AccountEvent",
      description: "The relationship history, newest first.",
      cursor: "id",
      args: { filter: t.arg({ type: AccountEventFilter }) },
      totalCount: (account, args, context) =>
        relatedCount(context, account.id, { events: { where: accountEventWhere(args.filter) } }),
      resolve: async (query, account, args, context) =>
        (await relatedOf(context, account.id).events({
          ...query,
          where: accountEventWhere(args.filter),
          orderBy: accountEventOrder,
        })) ?? [],
    }),
    competitors: t.field({
      type: [Competitor],
      description: "Who else courts the account, the biggest threat first.",
      resolve: (account, _args, context, info) => competitorsOf(context, account.id, info),
    }),
    status: t.expose("status", { type: AccountStatusEnum }),
    isKeyAccount: t.exposeBoolean("isKeyAccount"),
    owner: t.field({
      type: User,
      nullable: true,
      description: "The key account manager.",
      ...readsColumns("ownerId"),
      resolve: (account, _args, context, info) =>
        account.ownerId ? userById(context, account.ownerId, info) : null,
    }),
    team: t.field({
      type: [User],
      description: "The people who work the account besides its owner.",
      resolve: (account, _args, context) => teamOf(context, account.id),
    }),
    version: t.exposeInt("version", {
      description: "Send it back with every change (optimistic concurrency).",
    }),
    archivedAt: t.expose("archivedAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    viewerCanEdit: t.boolean({
      description: "Whether the caller may change this account.",
      ...readsColumns("archivedAt", "ownerId"),
      resolve: async (account, _args, context) =>
        !account.archivedAt &&
        canWriteAccount(context.principal, (await accountTeamOf(context, account.id)) ?? noTeam(account)),
    }),
  }),
});

function noTeam(account: AccountRow) {
  return { ownerId: account.ownerId, team: [] };
}

export const AccountFilter = builder.inputType("AccountFilter", {
  fields: (t) => ({
    savedSegmentId: t.id({ description: "Apply a saved segment's filter too (both must match)." }),
    abc: t.field({ type: [AbcClassEnum], description: "ABC classes (see segmentMatrix)." }),
    xyz: t.field({ type: [XyzClassEnum], description: "XYZ classes." }),
    segmentSettings: t.field({
      type: SegmentSettingsInput,
      description: "Classes under these segment settings instead of the stored ones (see segmentMatrix).",
    }),
    industry: t.string(),
    region: t.string(),
    hasOpenComplaint: t.boolean({
      description: "With (true) or without (false) a complaint not yet resolved.",
    }),
    lastContactBefore: t.field({
      type: "DateTime",
      description: "No meeting, call or e-mail since then (accounts never contacted included).",
    }),
    search: t.string({ description: "Part of the name or external ID, any case." }),
    status: t.field({ type: [AccountStatusEnum] }),
    ownerId: t.id({ description: "Global ID of the owner." }),
    isKeyAccount: t.boolean(),
    includeArchived: t.boolean({ defaultValue: false }),
  }),
});

const AccountOrderField = builder.enumType("AccountOrderField", { values: ["NAME", "CREATED_AT"] as const });
export const SortDirection = builder.enumType("SortDirection", { values: ["ASC", "DESC"] as const });

const AccountOrder = builder.inputType("AccountOrder", {
  fields: (t) => ({
    field: t.field({ type: AccountOrderField, required: true, defaultValue: "NAME" }),
    direction: t.field({ type: SortDirection, required: true, defaultValue: "ASC" }),
  }),
});

builder.queryFields((t) => ({
  accounts: t.connection(
    {
      type: Account,
      description: "Accounts, filtered and ordered; archived ones only when asked for.",
      authScopes: { readAccounts: true },
      args: {
        filter: t.arg({ type: AccountFilter }),
        orderBy: t.arg({ type: AccountOrder }),
      },
      resolve: (_parent, args, context, info) =>
        accountsPage(
          context,
          info,
          args,
          () => accountsWhereOnce(args.filter, context),
          accountOrderBy(args.orderBy?.field, args.orderBy?.direction),
        ),
    },
    { fields: (c) => ({ totalCount: c.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
  account: t.field({
    type: Account,
    description: "One account by its global ID.",
    authScopes: { readAccounts: true },
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError, InvalidIdError, ForbiddenError], directResult: true },
    resolve: async (_root, args, context) => {
      const id = decodeId(args.id, "Account");
      const account = await accountById(context, id);
      if (!account) throw new NotFoundError("Account", String(args.id));
      return account;
    },
  }),
  accountByExternalId: t.field({
    type: Account,
    description:
      "One account by its ID in the ERP, exactly (archived ones too, as by global ID); `accounts(filter: { search })` matches parts of IDs.",
    authScopes: { readAccounts: true },
    args: { externalId: t.arg.string({ required: true }) },
    errors: { types: [NotFoundError, InvalidIdError, ForbiddenError], directResult: true },
    resolve: (_root, args, context) => findAccountByExternalId(context, args.externalId),
  }),
}));

export type AccountFilterArgs = AccountsFilter;

/** The same filter's conditions, built once per request (the count and the page share them). */
function accountsWhereOnce(filter: AccountFilterArgs | null | undefined, context: Context) {
  return perRequest(context, `accountsWhere:${JSON.stringify(filter ?? null)}`, () =>
    accountsWhereFor(filter, context),
  );
}

/** The accounts a filter selects, with the request's segmentation when it names classes. */
export function accountsWhereFor(filter: AccountFilterArgs | null | undefined, context: Context) {
  return inArgument("filter", () =>
    accountsWhere(context, filter, (settings) => segmentationFor(context, settings)),
  );
}

const CreateAccountInput = builder.inputType("CreateAccountInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    externalId: t.string(),
    industry: t.string(),
    region: t.string(),
    country: t.string({ description: "ISO 3166-1 alpha-2 code, e.g. FR." }),
    website: t.string(),
    description: t.string(),
    employeeCount: t.int(),
    foundedYear: t.int(),
    history: t.string(),
    organisation: t.string(),
    marketEnvironment: t.string(),
    revenueBand: t.field({ type: RevenueBandEnum }),
    keyProducts: t.string(),
    isImageMaker: t.boolean(),
    isExpert: t.boolean(),
    hasBudget: t.boolean(),
    status: t.field({ type: AccountStatusEnum }),
    isKeyAccount: t.boolean({
      description: "Only admins may set it; key accounts are otherwise chosen with confirmKeyAccounts.",
    }),
    ownerId: t.id({ description: "Global ID of the owner; defaults to the calling manager." }),
    teamMemberIds: t.idList({ description: "Global IDs of the team members." }),
  }),
});

const UpdateAccountInput = builder.inputType("UpdateAccountInput", {
  description: "Only the fields sent change; null clears an optional field.",
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true, description: "The version the change is based on." }),
    name: t.string(),
    externalId: t.string(),
    industry: t.string(),
    region: t.string(),
    country: t.string(),
    website: t.string(),
    description: t.string(),
    employeeCount: t.int(),
    foundedYear: t.int(),
    history: t.string(),
    organisation: t.string(),
    marketEnvironment: t.string(),
    revenueBand: t.field({ type: RevenueBandEnum }),
    keyProducts: t.string(),
    isImageMaker: t.boolean(),
    isExpert: t.boolean(),
    hasBudget: t.boolean(),
    status: t.field({ type: AccountStatusEnum }),
    isKeyAccount: t.boolean({
      description: "Only admins may change it; key accounts are otherwise chosen with confirmKeyAccounts.",
    }),
    ownerId: t.id(),
    teamMemberIds: t.idList({ description: "Replaces the whole team." }),
  }),
});

const ArchiveAccountInput = builder.inputType("ArchiveAccountInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
  }),
});

function staffIds(input: {
  ownerId?: string | number | null;
  teamMemberIds?: readonly (string | number)[] | null;
}) {
  return {
    ownerId: decodeOptionalId(input.ownerId, "User"),
    teamMemberIds: input.teamMemberIds?.map((id) => decodeId(id, "User")),
  };
}

builder.mutationFields((t) => ({
  createAccount: t.field({
    type: Account,
    args: { input: t.arg({ type: CreateAccountInput, required: true }) },
    errors: { types: accountWriteErrors },
    resolve: (_root, { input }, context) => createAccount(context, { ...input, ...staffIds(input) }),
  }),
  updateAccount: t.field({
    type: Account,
    args: { input: t.arg({ type: UpdateAccountInput, required: true }) },
    errors: { types: accountWriteErrors },
    resolve: (_root, { input }, context) =>
      updateAccount(context, {
        ...input,
        ...staffIds(input),
        id: decodeId(input.id, "Account"),
      } as UpdateAccountFields),
  }),
  archiveAccount: t.field({
    type: Account,
    args: { input: t.arg({ type: ArchiveAccountInput, required: true }) },
    errors: { types: accountWriteErrors },
    resolve: (_root, { input }, context) =>
      archiveAccount(context, {
        id: decodeId(input.id, "Account"),
        version: input.version,
      }),
  }),
}));
