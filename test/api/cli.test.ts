import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestApp, type TestApp, testTokenSecret } from "../support/app.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const run = promisify(execFile);

let app: TestApp;

/** Runs `npm run kam -- …` as an operator would, against this file's database. */
async function kam(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
async function kam(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }>;
async function kam(...input: (string | Record<string, string>)[]) {
  const env = typeof input[0] === "object" ? (input.shift() as Record<string, string>) : {};
  const args = input as string[];
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "api/cli.ts", ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: app.db.url, KAM_TOKEN_SECRET: testTokenSecret, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe("npm run kam", () => {
  it("creates a user and mints a token that reads accounts", { timeout: 60_000 }, async () => {
    const created = await kam(
      "user",
      "create",
      "--email",
      "Nadia@Example.com",
      "--role",
      "manager",
      "--name",
      "Nadia",
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("created MANAGER nadia@example.com");

    const token = await kam("token", "--email", "nadia@example.com", "--ttl", "30m");
    expect(token.code).toBe(0);
    const { data, status } = await app.gql(
      "{ viewer { role user { email } } accounts { totalCount } }",
      {},
      token.stdout.trim(),
    );
    expect(status).toBe(200);
    expect(data.viewer).toEqual({ role: "MANAGER", user: { email: "nadia@example.com" } });
    expect(data.accounts.totalCount).toBe(0);
  });

  it("creates an API key printed once, and revokes it", { timeout: 60_000 }, async () => {
    const created = await kam("api-key", "create", "--name", "ERP sync", "--scopes", "read,import");
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^kam_[\w-]{30,}$/);
    const stored = await app.db.prisma.apiKey.findFirstOrThrow({ where: { name: "ERP sync" } });
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored.scopes).toBe("read,import");

    const before = await app.gql("{ viewer { kind scopes } }", {}, secret);
    expect(before.data.viewer).toEqual({ kind: "API_KEY", scopes: ["READ", "IMPORT"] });

    const revoked = await kam("api-key", "revoke", stored.id);
    expect(revoked.code).toBe(0);
    const after = await app.gql("{ viewer { kind } }", {}, secret);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "REVOKED" });
  });

  it("deactivates a person, whose tokens then stop working", { timeout: 60_000 }, async () => {
    const person = await app.createUser("VIEWER");
    expect((await app.gql("{ viewer { role } }", {}, person.token)).status).toBe(200);
    const result = await kam("user", "deactivate", "--email", person.email);
    expect(result.code).toBe(0);
    const after = await app.gql("{ viewer { role } }", {}, person.token);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions).toMatchObject({ reason: "DEACTIVATED" });
    const minted = await kam("token", "--email", person.email);
    expect(minted.code).toBe(1);
    expect(minted.stderr).toContain("deactivated");
    expect(minted.stderr).toContain(`user activate --email ${person.email}`);
    const listed = await kam("user", "list");
    expect(listed.stdout.split("\n").find((line) => line.includes(person.email))).toMatch(
      /deactivated \d{4}-/,
    );

    // Activated again: the same token works, and the list says so.
    const activated = await kam("user", "activate", "--email", person.email);
    expect(activated.code).toBe(0);
    expect((await app.gql("{ viewer { role } }", {}, person.token)).status).toBe(200);
    const relisted = await kam("user", "list");
    expect(relisted.stdout.split("\n").find((line) => line.includes(person.email))).toMatch(/ active /);
    const audit = await app.db.prisma.auditEntry.findMany({
      where: { entityType: "User", action: { in: ["user.activate", "user.deactivate"] } },
      orderBy: { at: "asc" },
    });
    expect(audit.map((entry) => entry.action).slice(-2)).toEqual(["user.deactivate", "user.activate"]);
  });

  it("says how to create the tables on a database that has none, and `migrate` creates them", {
    timeout: 120_000,
  }, async () => {
    const emptyUrl = `file:${path.join(inject("testDir"), `cli-empty-${Date.now()}.db`)}`;
    const before = await kam({ DATABASE_URL: emptyUrl }, "user", "list");
    expect(before.code).toBe(1);
    expect(before.stderr).toContain("no KAM tables yet");
    const migrated = await kam({ DATABASE_URL: emptyUrl }, "migrate");
    expect(migrated.code).toBe(0);
    const after = await kam({ DATABASE_URL: emptyUrl }, "user", "list");
    expect(after.code).toBe(0);
    expect(after.stdout).toBe("");
  });

  it("generates scale data into an empty database", { timeout: 120_000 }, async () => {
    const emptyUrl = `file:${path.join(inject("testDir"), `cli-scale-${Date.now()}.db`)}`;
    const result = await kam(
      { DATABASE_URL: emptyUrl },
      "seed",
      "--accounts",
      "20",
      "--months",
      "3",
      "--lines",
      "300",
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split("\n").at(-1) as string);
    expect(summary).toMatchObject({ accounts: 20, salesLines: 300 });
    expect(result.stderr).toContain(`token --email ${summary.adminEmail}`);
    const token = await kam({ DATABASE_URL: emptyUrl }, "token", "--email", summary.adminEmail);
    expect(token.code).toBe(0);
    const again = await kam({ DATABASE_URL: emptyUrl }, "seed", "--lines", "10");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already has data");
  });

  it("refuses bad input with a clear message and a non-zero exit", { timeout: 60_000 }, async () => {
    const unknownUser = await kam("token", "--email", "nobody@example.com");
    expect(unknownUser.code).toBe(1);
    expect(unknownUser.stderr).toContain("No user with e-mail nobody@example.com");
    const unknownDeactivate = await kam("user", "activate", "--email", "nobody@example.com");
    expect(unknownDeactivate.code).toBe(1);
    expect(unknownDeactivate.stderr).toContain("No user with e-mail nobody@example.com");

    const badTtl = await kam("token", "--email", "nadia@example.com", "--ttl", "forever");
    expect(badTtl.code).toBe(1);
    expect(badTtl.stderr).toMatch(/ttl.*duration/);

    const badScope = await kam("api-key", "create", "--name", "x", "--scopes", "read,root");
    expect(badScope.code).not.toBe(0);
    expect(badScope.stderr).toContain("unknown scope root");

    const badRole = await kam("user", "create", "--email", "x@example.com", "--role", "boss");
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(/role/);

    const duplicate = await kam("user", "create", "--email", "nadia@example.com", "--role", "viewer");
    expect(duplicate.code).toBe(1);
    expect(await app.db.prisma.user.count({ where: { email: "x@example.com" } })).toBe(0);
    expect(await app.db.prisma.apiKey.count({ where: { name: "x" } })).toBe(0);
  });
});
