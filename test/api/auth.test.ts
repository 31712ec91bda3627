import { createHash } from "node:crypto";
import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeApiKey } from "../../api/auth/api-keys.ts";
import { signUserToken } from "../../api/auth/user-tokens.ts";
import { createTestApp, globalId, type TestApp, testTokenSecret } from "../support/app.ts";

let app: TestApp;
let admin: Awaited<ReturnType<TestApp["createUser"]>>;
let manager: Awaited<ReturnType<TestApp["createUser"]>>;

const secret = new TextEncoder().encode(testTokenSecret);
const viewerQuery = `{ viewer { kind role scopes apiKeyName user { id } } }`;

/** POSTs with exactly the Authorization header given (or none), keeping the response headers. */
async function post(authorization: string | null, query = viewerQuery) {
  const response = await app.yoga.fetch("http://kam.test/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(authorization === null ? {} : { authorization }),
    },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

function sha256Hex(value: string) {
  return createHash("sha256").update(value).digest("hex");
}

/** A token that is well formed and signed with the right secret, with the claims given. */
function craftToken(claims: { sub?: string; iss?: string; aud?: string; expiresIn?: string }) {
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setIssuer(claims.iss ?? "kam")
    .setAudience(claims.aud ?? "kam-api")
    .setExpirationTime(claims.expiresIn ?? "1h");
  if (claims.sub) jwt = jwt.setSubject(claims.sub);
  return jwt.sign(secret);
}

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.createUser("ADMIN", "Ada");
  manager = await app.createUser("MANAGER", "Manon");
});
afterAll(() => app.close());

describe("user tokens", () => {
  it("a valid token identifies its user", async () => {
    const { status, body } = await post(`Bearer ${manager.token}`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.viewer).toEqual({
      kind: "USER",
      role: "MANAGER",
      scopes: [],
      apiKeyName: null,
      user: { id: globalId("User", manager.id) },
    });
  });

  it("accepts the scheme in any case and surrounding whitespace", async () => {
    const { status, body } = await post(`bearer   ${manager.token}  `);
    expect(status).toBe(200);
    expect(body.data.viewer.user).toEqual({ id: globalId("User", manager.id) });
  });

  it("accepts a token signed with signUserToken and the app's secret", async () => {
    const token = await signUserToken(app.tokenSecret, admin.id, 60);
    const { body } = await post(`Bearer ${token}`);
    expect(body.data.viewer).toMatchObject({ kind: "USER", role: "ADMIN" });
  });
});

describe("rejected credentials", () => {
  type Reason = "MISSING" | "MALFORMED" | "INVALID" | "EXPIRED" | "REVOKED" | "DEACTIVATED";
  const cases: { name: string; header: () => Promise<string | null>; reason: Reason }[] = [
    { name: "no Authorization header", header: async () => null, reason: "MISSING" },
    { name: "another scheme (Token x)", header: async () => "Token x", reason: "MALFORMED" },
    { name: "Basic credentials", header: async () => "Basic dXNlcjpwYXNz", reason: "MALFORMED" },
    { name: "Bearer without a token", header: async () => "Bearer", reason: "MALFORMED" },
    {
      name: "Bearer with two tokens",
      header: async () => `Bearer ${manager.token} extra`,
      reason: "MALFORMED",
    },
    { name: "a garbage bearer token", header: async () => "Bearer not-a-jwt", reason: "INVALID" },
    {
      name: "a token signed with another secret",
      header: async () =>
        `Bearer ${await signUserToken(new TextEncoder().encode("another-secret-that-is-also-long-enough!"), manager.id, 3600)}`,
      reason: "INVALID",
    },
    {
      name: "a token with a tampered subject",
      header: async () => {
        const [head, , signature] = manager.token.split(".");
        const payload = Buffer.from(JSON.stringify({ sub: admin.id, iss: "kam", aud: "kam-api" })).toString(
          "base64url",
        );
        return `Bearer ${head}.${payload}.${signature}`;
      },
      reason: "INVALID",
    },
    {
      name: "an unsigned token (alg none)",
      header: async () =>
        `Bearer ${new UnsecuredJWT({}).setSubject(admin.id).setIssuer("kam").setAudience("kam-api").setExpirationTime("1h").encode()}`,
      reason: "INVALID",
    },
    {
      name: "a token for another audience",
      header: async () => `Bearer ${await craftToken({ sub: manager.id, aud: "someone-else" })}`,
      reason: "INVALID",
    },
    {
      name: "a token from another issuer",
      header: async () => `Bearer ${await craftToken({ sub: manager.id, iss: "not-kam" })}`,
      reason: "INVALID",
    },
    {
      name: "a token that names no user",
      header: async () => `Bearer ${await craftToken({})}`,
      reason: "INVALID",
    },
    {
      name: "an expired user token",
      header: async () => `Bearer ${await signUserToken(secret, manager.id, -60)}`,
      reason: "EXPIRED",
    },
    {
      name: "a token for a deleted user",
      header: async () => {
        const gone = await app.createUser("MANAGER", "Gone");
        await app.db.prisma.user.delete({ where: { id: gone.id } });
        return `Bearer ${gone.token}`;
      },
      reason: "INVALID",
    },
    {
      name: "a token for a deactivated user",
      header: async () => {
        const left = await app.createUser("MANAGER", "Left");
        await app.db.prisma.user.update({ where: { id: left.id }, data: { deactivatedAt: new Date() } });
        return `Bearer ${left.token}`;
      },
      reason: "DEACTIVATED",
    },
    {
      name: "an unknown kam_ key",
      header: async () => "Bearer kam_thisKeyWasNeverIssuedByThisServer000000000",
      reason: "INVALID",
    },
    {
      name: "a real key with one character changed",
      header: async () => {
        const key = await app.createKey(["read"]);
        const last = key.secret.at(-1) === "A" ? "B" : "A";
        return `Bearer ${key.secret.slice(0, -1)}${last}`;
      },
      reason: "INVALID",
    },
    {
      name: "a revoked key",
      header: async () => {
        const key = await app.createKey(["read"]);
        await revokeApiKey({ ...app, principal: null }, key.id);
        return `Bearer ${key.secret}`;
      },
      reason: "REVOKED",
    },
    {
      name: "an expired key",
      header: async () => {
        const key = await app.createKey(["read"]);
        await app.db.prisma.apiKey.update({
          where: { id: key.id },
          data: { expiresAt: new Date(Date.now() - 60_000) },
        });
        return `Bearer ${key.secret}`;
      },
      reason: "EXPIRED",
    },
  ];

  it.each(cases)("$name → 401 $reason", async ({ header, reason }) => {
    const { status, headers, body } = await post(await header());
    expect(status).toBe(401);
    expect(headers.get("www-authenticate")).toBe('Bearer realm="kam"');
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toEqual({ code: "UNAUTHENTICATED", reason });
    expect(body.errors[0].message).toEqual(expect.any(String));
  });

  it("the helper's own gql() without a token is refused the same way", async () => {
    const response = await app.gql(viewerQuery, {}, null);
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions).toEqual({ code: "UNAUTHENTICATED", reason: "MISSING" });
  });

  it("an unauthenticated mutation changes nothing", async () => {
    const name = "Written without credentials";
    const { status, body } = await post(
      "Bearer not-a-jwt",
      `mutation { createAccount(input: { name: "${name}" }) { __typename } }`,
    );
    expect(status).toBe(401);
    expect(body.errors[0].extensions.reason).toBe("INVALID");
    expect(await app.db.prisma.account.findMany({ where: { name } })).toEqual([]);
  });

  it("a deactivated user's token works again once they are reactivated", async () => {
    const person = await app.createUser("VIEWER", "Returning");
    await app.db.prisma.user.update({ where: { id: person.id }, data: { deactivatedAt: new Date() } });
    expect((await post(`Bearer ${person.token}`)).body.errors[0].extensions.reason).toBe("DEACTIVATED");
    await app.db.prisma.user.update({ where: { id: person.id }, data: { deactivatedAt: null } });
    const { status, body } = await post(`Bearer ${person.token}`);
    expect(status).toBe(200);
    expect(body.data.viewer.role).toBe("VIEWER");
  });
});

describe("API keys", () => {
  it("a valid key works and the viewer shows API_KEY with its scopes", async () => {
    const key = await app.createKey(["personal_data", "read", "import"], "CRM sync");
    const { status, body } = await post(`Bearer ${key.secret}`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.viewer).toEqual({
      kind: "API_KEY",
      role: null,
      apiKeyName: "CRM sync",
      user: null,
      scopes: ["READ", "IMPORT", "PERSONAL_DATA"],
    });
  });

  it("stores only the SHA-256 hex hash of the secret", async () => {
    const key = await app.createKey(["read", "write"]);
    const row = await app.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(key.secret).toMatch(/^kam_/);
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.hash).toBe(sha256Hex(key.secret));
    expect(row.prefix).toBe(key.secret.slice(0, 12));
    for (const value of Object.values(row)) expect(String(value)).not.toContain(key.secret);
  });

  it("a revoked key is refused with REVOKED, and stays stored hashed", async () => {
    const key = await app.createKey(["read"]);
    expect((await post(`Bearer ${key.secret}`)).status).toBe(200);
    await revokeApiKey({ ...app, principal: null }, key.id);
    const { status, body } = await post(`Bearer ${key.secret}`);
    expect(status).toBe(401);
    expect(body.errors[0].extensions).toEqual({ code: "UNAUTHENTICATED", reason: "REVOKED" });
    const row = await app.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.revokedAt).toBeInstanceOf(Date);
    expect(row.hash).toBe(sha256Hex(key.secret));
    expect(JSON.stringify(row)).not.toContain(key.secret);
  });

  it("a key that expires later still works; one whose expiry has passed is EXPIRED", async () => {
    const key = await app.createKey(["read"]);
    await app.db.prisma.apiKey.update({
      where: { id: key.id },
      data: { expiresAt: new Date(Date.now() + 3_600_000) },
    });
    expect((await post(`Bearer ${key.secret}`)).body.data.viewer.kind).toBe("API_KEY");
    await app.db.prisma.apiKey.update({
      where: { id: key.id },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    const { status, body } = await post(`Bearer ${key.secret}`);
    expect(status).toBe(401);
    expect(body.errors[0].extensions.reason).toBe("EXPIRED");
  });

  it("records lastUsedAt when the key is used", async () => {
    const key = await app.createKey(["read"]);
    const before = await app.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(before.lastUsedAt).toBeNull();
    expect((await post(`Bearer ${key.secret}`)).status).toBe(200);
    const after = await app.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(after.lastUsedAt).toBeInstanceOf(Date);
    expect(after.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(after.createdAt.getTime());
  });

  it("a refused key does not get lastUsedAt", async () => {
    const key = await app.createKey(["read"]);
    await revokeApiKey({ ...app, principal: null }, key.id);
    expect((await post(`Bearer ${key.secret}`)).status).toBe(401);
    const row = await app.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.lastUsedAt).toBeNull();
  });
});

describe("managing API keys through GraphQL", () => {
  const createApiKeyMutation = `mutation($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      __typename
      ... on MutationCreateApiKeySuccess {
        data { secret apiKey { id name prefix scopes expiresAt revokedAt lastUsedAt createdBy { id } } }
      }
      ... on Error { code message }
      ... on ValidationError { issues { path message } }
    }
  }`;

  const revokeApiKeyMutation = `mutation($id: ID!) {
    revokeApiKey(id: $id) {
      __typename
      ... on MutationRevokeApiKeySuccess { data { id revokedAt } }
      ... on Error { code message }
    }
  }`;

  const apiKeysQuery = `{
    apiKeys(first: 100) {
      totalCount
      edges { node { id name prefix scopes createdAt expiresAt revokedAt lastUsedAt createdBy { id } } }
    }
  }`;

  async function createThroughApi(name: string, scopes: string[]) {
    const result = await app.gql(createApiKeyMutation, { input: { name, scopes } }, admin.token);
    expect(result.errors).toBeUndefined();
    expect(result.data.createApiKey.__typename).toBe("MutationCreateApiKeySuccess");
    return result.data.createApiKey.data as { secret: string; apiKey: Record<string, any> };
  }

  it("returns the secret once, and it works at once", async () => {
    const created = await createThroughApi("Partner portal", ["READ", "WRITE"]);
    expect(created.secret).toMatch(/^kam_[A-Za-z0-9_-]{20,}$/);
    expect(created.apiKey).toMatchObject({
      name: "Partner portal",
      prefix: created.secret.slice(0, 12),
      scopes: ["READ", "WRITE"],
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
      createdBy: { id: globalId("User", admin.id) },
    });

    const row = await app.db.prisma.apiKey.findFirstOrThrow({ where: { name: "Partner portal" } });
    expect(row.hash).toBe(sha256Hex(created.secret));
    expect(JSON.stringify(row)).not.toContain(created.secret);

    const { body } = await post(`Bearer ${created.secret}`);
    expect(body.data.viewer).toMatchObject({ kind: "API_KEY", apiKeyName: "Partner portal" });
    expect(body.data.viewer.scopes).toEqual(["READ", "WRITE"]);
  });

  it("never shows the secret or its hash again: not in apiKeys, the schema or the audit log", async () => {
    const created = await createThroughApi("Never shown again", ["READ"]);
    const row = await app.db.prisma.apiKey.findFirstOrThrow({ where: { name: "Never shown again" } });

    const list = await app.gql(apiKeysQuery, {}, admin.token);
    expect(list.errors).toBeUndefined();
    const listed = list.data.apiKeys.edges.map((edge: any) => edge.node);
    expect(listed.find((node: any) => node.id === created.apiKey.id)).toMatchObject({
      name: "Never shown again",
      prefix: created.secret.slice(0, 12),
    });
    const text = JSON.stringify(list);
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain(row.hash);

    const introspection = await app.gql(`{ __type(name: "ApiKey") { fields { name } } }`, {}, admin.token);
    const fields = introspection.data.__type.fields.map((field: any) => field.name);
    expect(fields).toContain("prefix");
    expect(fields).not.toContain("secret");
    expect(fields).not.toContain("hash");

    const audit = await app.db.prisma.auditEntry.findMany({ where: { entityId: row.id } });
    expect(audit.map((entry) => entry.action)).toEqual(["apiKey.create"]);
    expect(audit[0]).toMatchObject({ actorKind: "USER", actorId: admin.id });
    const auditText = JSON.stringify(audit);
    expect(auditText).not.toContain(created.secret);
    expect(auditText).not.toContain(row.hash);
  });

  it("revoking stops the key at once and writes one audit entry", async () => {
    const created = await createThroughApi("To revoke", ["READ"]);
    const dbId = (await app.db.prisma.apiKey.findFirstOrThrow({ where: { name: "To revoke" } })).id;
    expect((await post(`Bearer ${created.secret}`)).status).toBe(200);

    const revoked = await app.gql(revokeApiKeyMutation, { id: created.apiKey.id }, admin.token);
    expect(revoked.data.revokeApiKey).toMatchObject({
      __typename: "MutationRevokeApiKeySuccess",
      data: { id: created.apiKey.id, revokedAt: expect.any(String) },
    });

    const refused = await post(`Bearer ${created.secret}`);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.reason).toBe("REVOKED");

    const entries = await app.db.prisma.auditEntry.findMany({
      where: { entityId: dbId, action: "apiKey.revoke" },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      entityType: "ApiKey",
      actorKind: "USER",
      actorId: admin.id,
      actorLabel: admin.email,
      before: { revokedAt: null },
    });
    expect((entries[0]!.after as any).revokedAt).toBe(revoked.data.revokeApiKey.data.revokedAt);

    // Revoking again changes nothing and records nothing more.
    const again = await app.gql(revokeApiKeyMutation, { id: created.apiKey.id }, admin.token);
    expect(again.data.revokeApiKey.data.revokedAt).toBe(revoked.data.revokeApiKey.data.revokedAt);
    expect(await app.db.prisma.auditEntry.count({ where: { entityId: dbId, action: "apiKey.revoke" } })).toBe(
      1,
    );
  });

  it("revoking an unknown key is NOT_FOUND, and an ID of another type is INVALID_ID", async () => {
    const unknown = await app.gql(revokeApiKeyMutation, { id: globalId("ApiKey", "nope") }, admin.token);
    expect(unknown.data.revokeApiKey).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND" });
    const wrongType = await app.gql(revokeApiKeyMutation, { id: globalId("User", admin.id) }, admin.token);
    expect(wrongType.data.revokeApiKey).toMatchObject({ __typename: "InvalidIdError", code: "INVALID_ID" });
  });

  it("refuses an expiry in the past and creates nothing", async () => {
    const result = await app.gql(
      createApiKeyMutation,
      { input: { name: "Born expired", scopes: ["READ"], expiresAt: "2000-01-01T00:00:00Z" } },
      admin.token,
    );
    expect(result.data.createApiKey).toMatchObject({
      __typename: "ValidationError",
      code: "VALIDATION_FAILED",
      issues: [{ path: "input.expiresAt", message: "must be in the future" }],
    });
    expect(await app.db.prisma.apiKey.findMany({ where: { name: "Born expired" } })).toEqual([]);
  });
});
