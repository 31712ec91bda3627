import type { GraphQLResolveInfo } from "graphql";
import { hasScope } from "../api/auth/permissions.ts";
import { apiKeyScopes } from "../api/auth/principal.ts";
import { AlreadyExistsError, ForbiddenError, ValidationError } from "../api/errors.ts";
import {
  createUser,
  isUserRow,
  roles,
  teamsOfAccounts,
  userKeyColumns,
  usersById,
} from "../api/services/users.ts";
import type { User as UserRow } from "../prisma/generated/sqlite/client.ts";
import { builder } from "./builder.ts";
import { selectedColumns } from "./columns.ts";
import { type Context, perRequestLoader } from "./context.ts";
import { offsetPage } from "./offset-pages.ts";

export const RoleEnum = builder.enumType("Role", {
  description: "ADMIN does everything; MANAGER writes the accounts whose team they are on; VIEWER reads.",
  values: roles,
});

export const ApiKeyScopeEnum = builder.enumType("ApiKeyScope", {
  values: apiKeyScopes.map((scope) => scope.toUpperCase()),
});

/**
 * Read straight from the driver (api/services/users.ts), a batch per request: the owners and
 * teams of a page of accounts cost one statement each.
 */
export const User = builder.objectRef<UserRow>("User");

builder.node(User, {
  description: "A person: key account manager, admin or viewer.",
  id: { resolve: (user) => user.id },
  // No scope check per field: every way here checks the right to read accounts first
  // (test/security/read-paths.test.ts walks them).
  loadMany: (ids, context) => usersById(context, ids),
  isTypeOf: (value) => isUserRow(value),
  fields: (t) => ({
    email: t.exposeString("email"),
    name: t.exposeString("name"),
    role: t.expose("role", { type: RoleEnum }),
    deactivatedAt: t.expose("deactivatedAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

/**
 * A person by ID (null when there is none), read with the request's others; with the columns
 * the fields selected beneath `info` read, when given.
 */
export function userById(context: Context, id: string, info?: GraphQLResolveInfo): Promise<UserRow | null> {
  const columns = info ? selectedColumns(info, "User", userKeyColumns) : undefined;
  return perRequestLoader<string, UserRow | null>(context, `usersById:${columns ?? "*"}`, (ids) =>
    usersById(context, ids, columns),
  ).load(id);
}

/** The people on an account's team besides its owner, read with the request's other accounts. */
export function teamOf(context: Context, accountId: string): Promise<UserRow[]> {
  return perRequestLoader<string, UserRow[]>(context, "teamsOfAccounts", (ids) =>
    teamsOfAccounts(context, ids),
  ).load(accountId);
}

builder.queryField("users", (t) =>
  t.connection(
    {
      type: User,
      description: "The people who use KAM, by name.",
      authScopes: { readAccounts: true },
      args: { role: t.arg({ type: RoleEnum, required: false }) },
      resolve: async (_parent, args, context) => {
        const where = args.role ? { role: args.role } : {};
        return offsetPage(
          args,
          ({ limit, offset }) =>
            context.db.prisma.user.findMany({
              where,
              orderBy: [{ name: "asc" }, { id: "asc" }],
              skip: offset,
              take: limit,
            }),
          () => context.db.prisma.user.count({ where }),
        );
      },
    },
    {
      fields: (c) => ({ totalCount: c.int({ resolve: (connection) => connection.totalCount() }) }),
    },
  ),
);

const ViewerKind = builder.enumType("ViewerKind", { values: ["USER", "API_KEY"] as const });

const Viewer = builder.objectRef<{ kind: "USER" | "API_KEY" }>("Viewer").implement({
  description: "Who is calling and what they may do.",
  fields: (t) => ({
    kind: t.field({ type: ViewerKind, resolve: (viewer) => viewer.kind }),
    user: t.field({
      type: User,
      nullable: true,
      description: "The signed-in person; null for an API key.",
      // As authenticated for this request.
      resolve: (_viewer, _args, context) =>
        context.principal.kind === "user" ? context.principal.user : null,
    }),
    apiKeyName: t.string({
      nullable: true,
      resolve: (_viewer, _args, context) =>
        context.principal.kind === "apiKey" ? context.principal.apiKey.name : null,
    }),
    scopes: t.field({
      type: [ApiKeyScopeEnum],
      description: "For an API key, its scopes; for a person, empty (their role decides).",
      resolve: (_viewer, _args, context) =>
        apiKeyScopes
          .filter((scope) => hasScope(context.principal, scope))
          .map((scope) => scope.toUpperCase()),
    }),
    role: t.field({
      type: RoleEnum,
      nullable: true,
      resolve: (_viewer, _args, context) =>
        context.principal.kind === "user" ? context.principal.user.role : null,
    }),
  }),
});

builder.queryField("viewer", (t) =>
  t.field({
    type: Viewer,
    description: "The caller.",
    resolve: (_root, _args, context) => ({
      kind: context.principal.kind === "user" ? ("USER" as const) : ("API_KEY" as const),
    }),
  }),
);

const CreateUserInput = builder.inputType("CreateUserInput", {
  fields: (t) => ({
    email: t.string({ required: true }),
    name: t.string({ required: true }),
    role: t.field({ type: RoleEnum, required: true }),
  }),
});

builder.mutationField("createUser", (t) =>
  t.field({
    type: User,
    description: "Adds a person. Admins only.",
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    errors: { types: [ValidationError, ForbiddenError, AlreadyExistsError] },
    resolve: (_root, { input }, context) => createUser(context, input),
  }),
);
