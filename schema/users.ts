import { hasScope } from "../api/auth/permissions.ts";
import { apiKeyScopes } from "../api/auth/principal.ts";
import { AlreadyExistsError, ForbiddenError, ValidationError } from "../api/errors.ts";
import { createUser, roles } from "../api/services/users.ts";
import { builder } from "./builder.ts";

export const RoleEnum = builder.enumType("Role", {
  description: "ADMIN does everything; MANAGER writes the accounts whose team they are on; VIEWER reads.",
  values: roles,
});

export const ApiKeyScopeEnum = builder.enumType("ApiKeyScope", {
  values: apiKeyScopes.map((scope) => scope.toUpperCase()),
});

export const User = builder.prismaNode("User", {
  description: "A person: key account manager, admin or viewer.",
  id: { field: "id" },
  // Select mode: a request reads only the columns its fields need (each field says which).
  select: { id: true },
  // An unknown ID is null, as Relay expects, not an error.
  nullable: true,
  authScopes: { readAccounts: true },
  fields: (t) => ({
    email: t.exposeString("email"),
    name: t.exposeString("name"),
    role: t.expose("role", { type: RoleEnum }),
    deactivatedAt: t.expose("deactivatedAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.queryField("users", (t) =>
  t.prismaConnection({
    type: "User",
    cursor: "id",
    description: "The people who use KAM, by name.",
    authScopes: { readAccounts: true },
    args: { role: t.arg({ type: RoleEnum, required: false }) },
    totalCount: (_parent, args, context) =>
      context.db.prisma.user.count({ where: args.role ? { role: args.role } : {} }),
    resolve: (query, _parent, args, context) =>
      context.db.prisma.user.findMany({
        ...query,
        where: args.role ? { role: args.role } : {},
        orderBy: [{ name: "asc" }, { id: "asc" }],
      }),
  }),
);

const ViewerKind = builder.enumType("ViewerKind", { values: ["USER", "API_KEY"] as const });

const Viewer = builder.objectRef<{ kind: "USER" | "API_KEY" }>("Viewer").implement({
  description: "Who is calling and what they may do.",
  fields: (t) => ({
    kind: t.field({ type: ViewerKind, resolve: (viewer) => viewer.kind }),
    user: t.prismaField({
      type: "User",
      nullable: true,
      description: "The signed-in person; null for an API key.",
      resolve: (query, _viewer, _args, context) =>
        context.principal.kind === "user"
          ? context.db.prisma.user.findUnique({ ...query, where: { id: context.principal.user.id } })
          : null,
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
