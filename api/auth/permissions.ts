import { ForbiddenError } from "../errors.ts";
import type { ApiKeyScope, Principal } from "./principal.ts";

/**
 * The permission rules. ADMIN may do everything; MANAGER reads every account and writes those
 * they own or whose team they are on; VIEWER reads. API keys act through their scopes.
 */

export function isAdmin(principal: Principal): boolean {
  return principal.kind === "user" && principal.user.role === "ADMIN";
}

export function hasScope(principal: Principal, scope: ApiKeyScope): boolean {
  return principal.kind === "apiKey" && principal.scopes.has(scope);
}

/** The `write` scope includes reading: a key must be able to see what it wrote. */
export function canReadAccounts(principal: Principal): boolean {
  return principal.kind === "user" || hasScope(principal, "read") || hasScope(principal, "write");
}

/** May this principal write accounts at all (before looking at which one)? */
export function canWriteAccounts(principal: Principal): boolean {
  if (principal.kind === "apiKey") return principal.scopes.has("write");
  return principal.user.role === "ADMIN" || principal.user.role === "MANAGER";
}

export interface AccountTeam {
  ownerId: string | null;
  team: { userId: string }[];
}

export function isOnAccountTeam(principal: Principal, account: AccountTeam): boolean {
  if (principal.kind !== "user") return false;
  const userId = principal.user.id;
  return account.ownerId === userId || account.team.some((member) => member.userId === userId);
}

export function canWriteAccount(principal: Principal, account: AccountTeam): boolean {
  if (!canWriteAccounts(principal)) return false;
  if (principal.kind === "apiKey" || principal.user.role === "ADMIN") return true;
  return isOnAccountTeam(principal, account);
}

export function assertCanReadAccounts(principal: Principal): void {
  if (!canReadAccounts(principal)) throw new ForbiddenError("This API key lacks the read or write scope.");
}

export function assertCanWriteAccounts(principal: Principal): void {
  if (canWriteAccounts(principal)) return;
  throw new ForbiddenError(
    principal.kind === "apiKey" ? "This API key lacks the write scope." : "Viewers cannot change accounts.",
  );
}

export function assertCanWriteAccount(principal: Principal, account: AccountTeam): void {
  assertCanWriteAccounts(principal);
  if (!canWriteAccount(principal, account)) {
    throw new ForbiddenError("Only the account's owner, its team and admins can change it.");
  }
}

/** The node types only admins may read; every other one needs the right to read accounts. */
const adminOnlyNodeTypes = new Set(["ApiKey", "AuditEntry"]);

/** Whether a record of this type could be shown to the principal at all. */
export function mayReadNodeType(principal: Principal, typename: string): boolean {
  return adminOnlyNodeTypes.has(typename) ? isAdmin(principal) : canReadAccounts(principal);
}

export function assertAdmin(principal: Principal): void {
  if (!isAdmin(principal)) throw new ForbiddenError("Only admins can do this.");
}

/**
 * Personal facts about decision-unit members (GDPR Art. 14): only the account's owner and team,
 * admins, and API keys with the personal_data scope.
 */
export function canSeePersonalData(principal: Principal, account: AccountTeam): boolean {
  if (principal.kind === "apiKey") return principal.scopes.has("personal_data");
  return principal.user.role === "ADMIN" || isOnAccountTeam(principal, account);
}

export function assertCanWritePersonalData(principal: Principal, account: AccountTeam): void {
  assertCanWriteAccount(principal, account);
  if (!canSeePersonalData(principal, account)) {
    throw new ForbiddenError(
      "Only the account team, admins and keys with the personal_data scope handle personal facts.",
    );
  }
}

/** Subject access and erasure requests: admins, or keys with both personal_data and write. */
export function assertCanHandleDataRequests(principal: Principal): void {
  if (principal.kind === "apiKey" && principal.scopes.has("personal_data") && principal.scopes.has("write"))
    return;
  if (principal.kind === "user" && principal.user.role === "ADMIN") return;
  throw new ForbiddenError("Only admins handle data subject requests.");
}
