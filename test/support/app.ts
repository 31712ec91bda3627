import { randomBytes } from "node:crypto";
import { copyFileSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { createApp, type KamApp } from "../../api/app.ts";
import { createApiKey } from "../../api/auth/api-keys.ts";
import type { ApiKeyScope } from "../../api/auth/principal.ts";
import { signUserToken } from "../../api/auth/user-tokens.ts";
import type { Clock } from "../../api/clock.ts";
import { loadConfig } from "../../api/config.ts";
import { openDatabase } from "../../api/db/index.ts";
import type { Role } from "../../prisma/generated/sqlite/client.ts";
import { createPostgresDatabase } from "./postgres.ts";

export const testTokenSecret = "test-secret-that-is-long-enough-for-hs256-signing";

/** A database of its own for the calling test file, copied from the run's migrated template. */
export async function createTestDatabaseUrl(): Promise<string> {
  if (inject("dbKind") === "postgres") return createPostgresDatabase(inject("postgresTemplate"));
  const file = path.join(inject("testDir"), `${randomBytes(6).toString("hex")}.db`);
  copyFileSync(inject("sqliteTemplate"), file);
  return `file:${file}`;
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

export interface TestApp extends KamApp {
  /** Every SQL statement sent since the app was created; tests may reset it to count a request's statements. */
  statements: string[];
  /**
   * POSTs a GraphQL operation in-process through yoga.fetch. `T` is the shape of `data` where a
   * test names it; untyped, it is `any`.
   */
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GraphQLResponse<T>>;
  tokenFor(userId: string, ttlSeconds?: number): Promise<string>;
  createUser(role: Role, name?: string): Promise<{ id: string; email: string; token: string }>;
  createKey(scopes: ApiKeyScope[], name?: string): Promise<{ id: string; secret: string }>;
}

let counter = 0;

export async function createTestApp(
  env: Record<string, string> = {},
  options: { clock?: Clock } = {},
): Promise<TestApp> {
  const databaseUrl = await createTestDatabaseUrl();
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    KAM_TOKEN_SECRET: testTokenSecret,
    KAM_DATA_DIR: inject("testDir"),
    // Tests send requests far faster than people do; the rate-limit tests set their own.
    KAM_RATE_LIMIT_REQUESTS: "1000000",
    ...env,
  });
  const statements: string[] = [];
  const app = createApp(
    config,
    openDatabase(databaseUrl, { onQuery: (sql) => statements.push(sql) }),
    options.clock,
  );

  const gql = async <T>(query: string, variables?: Record<string, unknown>, token?: string | null) => {
    const response = await app.yoga.fetch("http://kam.test/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLResponse<T>;
    return { ...body, status: response.status };
  };
  const tokenFor = (userId: string, ttlSeconds = 3600) =>
    signUserToken(new TextEncoder().encode(testTokenSecret), userId, ttlSeconds);

  return Object.assign(app, {
    statements,
    gql,
    tokenFor,
    async createUser(role: Role, name?: string) {
      counter += 1;
      const user = await app.db.prisma.user.create({
        data: {
          email: `${role.toLowerCase()}${counter}-${randomBytes(3).toString("hex")}@test.kam`,
          name: name ?? `${role} ${counter}`,
          role,
        },
      });
      return { id: user.id, email: user.email, token: await tokenFor(user.id) };
    },
    async createKey(scopes: ApiKeyScope[], name = `key ${scopes.join("+") || "none"}`) {
      // A key with no scopes cannot be made through the service, so tests insert one directly.
      if (scopes.length === 0) {
        const { apiKey, secret } = await createApiKey(
          { ...app, principal: null },
          { name, scopes: ["read"] },
        );
        await app.db.prisma.apiKey.update({ where: { id: apiKey.id }, data: { scopes: "" } });
        return { id: apiKey.id, secret };
      }
      const { apiKey, secret } = await createApiKey({ ...app, principal: null }, { name, scopes });
      return { id: apiKey.id, secret };
    },
  });
}

/** Global ID as the API shows it. */
export function globalId(typename: string, id: string): string {
  return Buffer.from(`${typename}:${id}`).toString("base64");
}
