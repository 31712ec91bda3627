import { auditWhere, countAuditEntries } from "../api/services/audit.ts";
import { builder } from "./builder.ts";

const ActorKindEnum = builder.enumType("ActorKind", { values: ["USER", "API_KEY", "SYSTEM"] as const });

builder.prismaNode("AuditEntry", {
  description: "One recorded change.",
  id: { field: "id" },
  // An unknown ID is null, as Relay expects, not an error.
  nullable: true,
  authScopes: { admin: true },
  fields: (t) => ({
    actorKind: t.expose("actorKind", { type: ActorKindEnum }),
    actorLabel: t.exposeString("actorLabel", {
      description: "The person's e-mail or the API key's prefix and name.",
    }),
    action: t.exposeString("action", { description: "e.g. account.update" }),
    entityType: t.exposeString("entityType"),
    entityId: t.exposeString("entityId", { description: "The database ID of the changed record." }),
    before: t.expose("before", { type: "JSON", nullable: true }),
    after: t.expose("after", { type: "JSON", nullable: true }),
    at: t.expose("at", { type: "DateTime" }),
  }),
});

const AuditFilter = builder.inputType("AuditFilter", {
  fields: (t) => ({
    entityType: t.string(),
    entityId: t.string(),
    action: t.string(),
  }),
});

builder.queryField("auditLog", (t) =>
  t.prismaConnection({
    type: "AuditEntry",
    cursor: "id",
    description: "Recorded changes, newest first. Admins only.",
    authScopes: { admin: true },
    args: { filter: t.arg({ type: AuditFilter }) },
    totalCount: (_parent, args, context) => countAuditEntries(context, args.filter),
    resolve: (query, _parent, args, context) =>
      context.db.prisma.auditEntry.findMany({
        ...query,
        where: auditWhere(args.filter),
        orderBy: [{ at: "desc" }, { id: "desc" }],
      }),
  }),
);
