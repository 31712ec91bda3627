import { createApiKey, revokeApiKey } from "../api/auth/api-keys.ts";
import { ForbiddenError, InvalidIdError, NotFoundError, ValidationError } from "../api/errors.ts";
import { builder } from "./builder.ts";
import { decodeId } from "./ids.ts";
import { ApiKeyScopeEnum, User, userById } from "./users.ts";

export const ApiKey = builder.prismaNode("ApiKey", {
  description: "A credential for an integration. The secret itself is shown only once, at creation.",
  id: { field: "id" },
  // An unknown ID is null, as Relay expects, not an error.
  nullable: true,
  authScopes: { admin: true },
  fields: (t) => ({
    name: t.exposeString("name"),
    prefix: t.exposeString("prefix", { description: "The start of the key, to recognise it." }),
    scopes: t.field({
      type: [ApiKeyScopeEnum],
      resolve: (key) =>
        key.scopes
          .split(",")
          .filter(Boolean)
          .map((scope) => scope.toUpperCase()),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
    lastUsedAt: t.expose("lastUsedAt", { type: "DateTime", nullable: true }),
    createdBy: t.field({
      type: User,
      nullable: true,
      resolve: (key, _args, context) => (key.createdById ? userById(context, key.createdById) : null),
    }),
  }),
});

builder.queryField("apiKeys", (t) =>
  t.prismaConnection({
    type: "ApiKey",
    cursor: "id",
    description: "Every API key, newest first. Admins only.",
    authScopes: { admin: true },
    totalCount: (_parent, _args, context) => context.db.prisma.apiKey.count(),
    resolve: (query, _parent, _args, context) =>
      context.db.prisma.apiKey.findMany({ ...query, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
);

const CreateApiKeyInput = builder.inputType("CreateApiKeyInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    scopes: t.field({ type: [ApiKeyScopeEnum], required: true }),
    expiresAt: t.field({ type: "DateTime" }),
  }),
});

const CreatedApiKey = builder
  .objectRef<{ apiKey: Awaited<ReturnType<typeof createApiKey>>["apiKey"]; secret: string }>("CreatedApiKey")
  .implement({
    fields: (t) => ({
      apiKey: t.field({ type: ApiKey, resolve: (created) => created.apiKey }),
      secret: t.exposeString("secret", {
        description: "The key. It is not stored and cannot be shown again.",
      }),
    }),
  });

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    description: "Admins only.",
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    errors: { types: [ValidationError, ForbiddenError] },
    resolve: (_root, { input }, context) =>
      createApiKey(context, {
        name: input.name,
        scopes: input.scopes.map((scope) => scope.toLowerCase()),
        expiresAt: input.expiresAt ?? undefined,
        createdById: context.principal.kind === "user" ? context.principal.user.id : undefined,
      }),
  }),
  revokeApiKey: t.field({
    type: ApiKey,
    description: "Admins only. The key stops working at once.",
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [InvalidIdError, NotFoundError, ForbiddenError] },
    resolve: (_root, args, context) => revokeApiKey(context, decodeId(args.id, "ApiKey")),
  }),
}));
