import type { ApiKey, User } from "../../prisma/generated/sqlite/client.ts";

export const apiKeyScopes = ["read", "write", "import", "personal_data"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** Who is calling: a person with a signed token, or an integration with an API key. */
export type Principal =
  | { kind: "user"; user: User }
  | { kind: "apiKey"; apiKey: ApiKey; scopes: ReadonlySet<ApiKeyScope> };

export function parseScopes(scopes: string): Set<ApiKeyScope> {
  return new Set(
    scopes
      .split(",")
      .map((scope) => scope.trim())
      .filter((scope): scope is ApiKeyScope => (apiKeyScopes as readonly string[]).includes(scope)),
  );
}

export function principalLabel(principal: Principal): string {
  return principal.kind === "user"
    ? principal.user.email
    : `api-key:${principal.apiKey.prefix} (${principal.apiKey.name})`;
}

/** One key per caller, for what is counted per principal (rate limits, open subscriptions). */
export function principalKey(principal: Principal): string {
  return principal.kind === "user" ? `user:${principal.user.id}` : `key:${principal.apiKey.id}`;
}
