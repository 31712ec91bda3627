import { z } from "zod";
import { Prisma, type Role, type User } from "../../prisma/generated/sqlite/client.ts";
import { assertAdmin } from "../auth/permissions.ts";
import { groupedBy, inOrderOf } from "../db/batches.ts";
import { asModelRows, modelColumns, readModelRows } from "../db/model-rows.ts";
import { AlreadyExistsError, NotFoundError } from "../errors.ts";
import { parseInput } from "../validation.ts";
import { recordAudit } from "./audit.ts";
import type { SystemContext } from "./context.ts";

export const roles = ["ADMIN", "MANAGER", "VIEWER"] as const satisfies readonly Role[];

/** Whether a value is a person's row (for GraphQL, which type an object is). */
export function isUserRow(value: unknown): value is User {
  return typeof value === "object" && value !== null && "email" in value && "role" in value;
}

/** The columns every read of people includes (the others only when asked for). */
export const userKeyColumns = ["id", "email", "role"] as const;

/** People by ID, null for an unknown one (all columns unless some are named): one statement. */
export async function usersById(
  { db }: SystemContext,
  ids: readonly string[],
  columns?: readonly string[],
): Promise<(User | null)[]> {
  const rows = await readModelRows<User>(db, "User", db.dialect.inList(Prisma.sql`"id"`, ids), { columns });
  return inOrderOf(rows, (row) => row.id, ids);
}

/** The people on each account's team besides its owner, in the order they joined: one statement. */
export async function teamsOfAccounts(
  { db }: SystemContext,
  accountIds: readonly string[],
): Promise<User[][]> {
  const rows = asModelRows<User & { teamAccountId: string }>(
    "User",
    await db.read(Prisma.sql`SELECT m."accountId" AS "teamAccountId", ${modelColumns("User", "u")}
      FROM "AccountTeamMember" m JOIN "User" u ON u."id" = m."userId"
      WHERE ${db.dialect.inList(Prisma.sql`m."accountId"`, accountIds)} ORDER BY m."addedAt", m."userId"`),
  );
  return groupedBy(rows, (row) => row.teamAccountId, accountIds).map((members) =>
    members.map(({ teamAccountId: _, ...user }) => user),
  );
}

const createUserInput = z.object({
  email: z.string().trim().toLowerCase().email("must be an e-mail address").max(200),
  name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  role: z.enum(roles, { message: "must be ADMIN, MANAGER or VIEWER" }),
});

/** Creates a person. `actor` null is the CLI run by whoever operates the server. */
export async function createUser(
  { db, principal: actor }: SystemContext,
  input: z.input<typeof createUserInput>,
) {
  if (actor) assertAdmin(actor);
  const data = parseInput(createUserInput, input);
  return db.prisma.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) {
      throw new AlreadyExistsError("email", data.email);
    }
    const user = await tx.user.create({ data });
    await recordAudit(tx, actor, {
      action: "user.create",
      entityType: "User",
      entityId: user.id,
      after: user,
    });
    return user;
  });
}

export async function findUserByEmail({ db }: SystemContext, email: string) {
  const user = await db.prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user) throw new NotFoundError("user", email.trim(), "e-mail");
  return user;
}

/**
 * Deactivated: a person's tokens stop working, their accounts and history stay as they are.
 * Activated again: tokens signed for them work again. Either way the change is audited, and
 * asking for the state a person is already in changes nothing.
 */
async function setUserActive({ db, principal: actor, clock }: SystemContext, email: string, active: boolean) {
  if (actor) assertAdmin(actor);
  return db.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: email.trim().toLowerCase() } });
    if (!user) throw new NotFoundError("user", email.trim(), "e-mail");
    if ((user.deactivatedAt === null) === active) return user;
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { deactivatedAt: active ? null : clock.now() },
    });
    await recordAudit(tx, actor, {
      action: active ? "user.activate" : "user.deactivate",
      entityType: "User",
      entityId: user.id,
      before: { deactivatedAt: user.deactivatedAt },
      after: { deactivatedAt: updated.deactivatedAt },
    });
    return updated;
  });
}

export function deactivateUser(context: SystemContext, email: string) {
  return setUserActive(context, email, false);
}

export function activateUser(context: SystemContext, email: string) {
  return setUserActive(context, email, true);
}
