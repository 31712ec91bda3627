import type { Prisma } from "../../prisma/generated/sqlite/client.ts";
import { type Principal, principalLabel } from "../auth/principal.ts";
import type { SystemContext } from "./context.ts";

export type Tx = Prisma.TransactionClient;

export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** JSON-safe snapshot: dates become ISO strings, undefined fields are dropped. */
function snapshot(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/** Records a change in the same transaction as the change itself. `actor` null means the system. */
export async function recordAudit(tx: Tx, actor: Principal | null, change: AuditChange): Promise<void> {
  await tx.auditEntry.create({
    data: {
      actorKind: actor === null ? "SYSTEM" : actor.kind === "user" ? "USER" : "API_KEY",
      actorId: actor === null ? null : actor.kind === "user" ? actor.user.id : actor.apiKey.id,
      actorLabel: actor === null ? "system" : principalLabel(actor),
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      before: snapshot(change.before),
      after: snapshot(change.after),
    },
  });
}

export interface AuditFilter {
  entityType?: string | null;
  entityId?: string | null;
  actorId?: string | null;
  action?: string | null;
}

export function auditWhere(filter: AuditFilter | null | undefined): Prisma.AuditEntryWhereInput {
  return {
    ...(filter?.entityType ? { entityType: filter.entityType } : {}),
    ...(filter?.entityId ? { entityId: filter.entityId } : {}),
    ...(filter?.actorId ? { actorId: filter.actorId } : {}),
    ...(filter?.action ? { action: filter.action } : {}),
  };
}

export function countAuditEntries(
  { db }: SystemContext,
  filter: AuditFilter | null | undefined,
): Promise<number> {
  return db.prisma.auditEntry.count({ where: auditWhere(filter) });
}
