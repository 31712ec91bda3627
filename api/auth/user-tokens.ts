import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { errors, jwtVerify, SignJWT } from "jose";
import { UnauthenticatedError, ValidationError } from "../errors.ts";

const issuer = "kam";
const audience = "kam-api";

/**
 * The secret user tokens are signed with: configured, or in demo mode generated once and kept
 * under the data directory so tokens survive restarts.
 */
export function resolveTokenSecret(configured: string | undefined, dataDir: string): Uint8Array {
  if (configured) return new TextEncoder().encode(configured);
  const file = path.resolve(dataDir, "token-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(48).toString("base64url"), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return new TextEncoder().encode(readFileSync(file, "utf8").trim());
}

/** Parses a duration such as 30m, 8h, 7d into seconds. */
export function parseTtl(ttl: string): number {
  const match = /^(\d+)\s*([smhd])$/.exec(ttl.trim());
  const seconds = match
    ? Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "s" | "m" | "h" | "d"]
    : 0;
  if (!seconds || seconds > 366 * 86400) {
    throw new ValidationError([
      { path: "ttl", message: `"${ttl}" is not a duration like 30m, 8h or 7d (at most 366d)` },
    ]);
  }
  return seconds;
}

export async function signUserToken(secret: Uint8Array, userId: string, ttlSeconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(secret);
}

/** The secret as a key to check signatures with, imported once per secret (not on every request). */
const verifyingKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function verifyingKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = verifyingKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new Uint8Array(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "verify",
    ]);
    verifyingKeys.set(secret, key);
  }
  return key;
}

/** Returns the user ID a valid token was minted for. */
export async function verifyUserToken(secret: Uint8Array, token: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, await verifyingKey(secret), {
      issuer,
      audience,
      algorithms: ["HS256"],
    });
    if (!payload.sub) throw new UnauthenticatedError("The token names no user.", "INVALID");
    return payload.sub;
  } catch (error) {
    if (error instanceof UnauthenticatedError) throw error;
    if (error instanceof errors.JWTExpired)
      throw new UnauthenticatedError("The token has expired.", "EXPIRED");
    throw new UnauthenticatedError("The token is not valid.", "INVALID");
  }
}
