import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { ApiKey } from "../../prisma/generated/sqlite/client.ts";
import { NotFoundError } from "../errors.ts";
import { recordAudit } from "../services/audit.ts";
import type { SystemContext } from "../services/context.ts";
import { parseInput } from "../validation.ts";
import { type ApiKeyScope, apiKeyScopes } from "./principal.ts";

export const apiKeyPrefixLength = 12;

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith("kam_");
}

const createInput = z.object({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  scopes: z
    .array(z.enum(apiKeyScopes, { message: `must be one of ${apiKeyScopes.join(", ")}` }))
    .min(1, "name at least one scope")
    .transform((scopes) => [...new Set(scopes)]),
  expiresAt: z
    .date()
    .refine((date) => date > new Date(), "must be in the future")
    .optional(),
});

/** Creates a key; the secret is returned here once and only its hash is stored. */
export async function createApiKey(
  { db, principal: actor }: SystemContext,
  input: { name: string; scopes: string[]; expiresAt?: Date; createdById?: string },
): Promise<{ apiKey: ApiKey; secret: string }> {
  const { name, scopes, expiresAt } = parseInput(createInput, input);
  const secret = `kam_${randomBytes(30).toString("base64url")}`;
  return db.prisma.$transaction(async (tx) => {
    const apiKey = await tx.apiKey.create({
      data: {
        name,
        scopes: (scopes as ApiKeyScope[]).join(","),
        prefix: secret.slice(0, apiKeyPrefixLength),
        hash: hashApiKey(secret),
        expiresAt: expiresAt ?? null,
        createdById: input.createdById ?? null,
      },
    });
    await recordAudit(tx, actor, {
      action: "apiKey.create",
      entityType: "ApiKey",
      entityId: apiKey.id,
      after: { name, scopes, prefix: apiKey.prefix, expiresAt: apiKey.expiresAt },
    });
    return { apiKey, secret };
  });
}

export async function revokeApiKey(
  { db, principal: actor, clock }: SystemContext,
  id: string,
): Promise<ApiKey> {
  return db.prisma.$transaction(async (tx) => {
    const existing = await tx.apiKey.findUnique({ where: { id } });
    if (!existing) throw new NotFoundError("API key", id);
    if (existing.revokedAt) return existing;
    const apiKey = await tx.apiKey.update({ where: { id }, data: { revokedAt: clock.now() } });
    await recordAudit(tx, actor, {
      action: "apiKey.revoke",
      entityType: "ApiKey",
      entityId: id,
      before: { revokedAt: null },
      after: { revokedAt: apiKey.revokedAt },
    });
    return apiKey;
  });
}
