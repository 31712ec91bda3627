import { Prisma, type User } from "../../prisma/generated/sqlite/client.ts";
import type { Database } from "../db/index.ts";
import { readModelRows } from "../db/model-rows.ts";
import { UnauthenticatedError } from "../errors.ts";
import { hashApiKey, looksLikeApiKey } from "./api-keys.ts";
import { type Principal, parseScopes } from "./principal.ts";
import { verifyUserToken } from "./user-tokens.ts";

/** lastUsedAt is a hint for admins, so it is refreshed at most once a minute per key. */
const lastUsedResolutionMs = 60_000;

/** Resolves `Authorization: Bearer <token>` to a principal, or says exactly why it cannot. */
export async function authenticate(
  db: Database,
  tokenSecret: Uint8Array,
  authorization: string | null,
): Promise<Principal> {
  if (!authorization) {
    throw new UnauthenticatedError("Send an Authorization: Bearer <token> header.", "MISSING");
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) {
    throw new UnauthenticatedError("The Authorization header must be: Bearer <token>.", "MALFORMED");
  }
  const token = match[1];
  if (looksLikeApiKey(token)) return authenticateApiKey(db, token);

  const userId = await verifyUserToken(tokenSecret, token);
  // Every request asks this: straight to the driver.
  const [user] = await readModelRows<User>(db, "User", Prisma.sql`"id" = ${userId}`);
  if (!user) throw new UnauthenticatedError("The token's user no longer exists.", "INVALID");
  if (user.deactivatedAt)
    throw new UnauthenticatedError("The token's user has been deactivated.", "DEACTIVATED");
  return { kind: "user", user };
}

async function authenticateApiKey(db: Database, secret: string): Promise<Principal> {
  const apiKey = await db.prisma.apiKey.findUnique({ where: { hash: hashApiKey(secret) } });
  if (!apiKey) throw new UnauthenticatedError("The API key is not valid.", "INVALID");
  if (apiKey.revokedAt) throw new UnauthenticatedError("The API key has been revoked.", "REVOKED");
  const now = new Date();
  if (apiKey.expiresAt && apiKey.expiresAt <= now) {
    throw new UnauthenticatedError("The API key has expired.", "EXPIRED");
  }
  if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() > lastUsedResolutionMs) {
    await db.prisma.apiKey.update({ where: { id: apiKey.id }, data: { lastUsedAt: now } });
  }
  return { kind: "apiKey", apiKey, scopes: parseScopes(apiKey.scopes) };
}
