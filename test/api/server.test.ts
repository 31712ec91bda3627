import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { get } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConfigError, loadConfig } from "../../api/config.ts";
import { defaultQueryLimits } from "../../api/query-limits.ts";
import { demoAdminEmail } from "../../prisma/seed/index.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { freePort } from "../support/network.ts";
import { createEmptyPostgresDatabase } from "../support/postgres.ts";

/** The real HTTP server, over a real socket. */

const root = fileURLToPath(new URL("../..", import.meta.url));
const dbKind = inject("dbKind");

let app: TestApp;
let base: string;

async function listen(target: TestApp): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    target.server.once("error", reject);
    target.server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = target.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

function postGraphql(url: string, query: string, token?: string) {
  return fetch(`${url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
}

beforeAll(async () => {
  app = await createTestApp();
  base = await listen(app);
});
afterAll(() => app.close());

describe("HTTP routes", () => {
  it("GET /health reports the server and database as ok", async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as any;
    expect(body).toMatchObject({ status: "ok", database: { kind: dbKind, status: "ok" } });
    expect(body.database.latencyMs).toEqual(expect.any(Number));
  });

  it("GET / serves a landing page that links to GraphiQL, health, and the widgets once built", async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('href="/graphql"');
    expect(html).toContain('href="/health"');
    // It claims only what this server has: a widget link only when the bundle is there.
    const widgetsBuilt = existsSync(path.join(root, "widgets", "dist"));
    expect(html.includes('href="/widgets/demo/"')).toBe(widgetsBuilt);
    expect((await fetch(`${base}/widgets/demo/`)).status).toBe(widgetsBuilt ? 200 : 404);
    expect(html).not.toMatch(/tender/i);
  });

  it("only GET and HEAD are served at /", async () => {
    const head = await fetch(`${base}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    const post = await fetch(`${base}/`, { method: "POST", body: "x" });
    expect(post.status).toBe(404);
  });

  it("GET /graphql from a browser serves GraphiQL", async () => {
    const response = await fetch(`${base}/graphql`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain("<title>KAM GraphiQL</title>");
    expect(html).toContain("renderYogaGraphiQL");
    expect(html).toContain("you@example.com");
    expect(html).not.toContain(demoAdminEmail);
  });

  it("GraphiQL's page carries its code, styles and fonts: it references nothing on another host", async () => {
    const html = await (await fetch(`${base}/graphql`, { headers: { accept: "text/html" } })).text();
    // The bundle names URLs in licence comments, error messages and links a person may click; what
    // a browser would fetch by itself is an attribute, a CSS url() or @import, or a script import.
    const fetchedElsewhere =
      /(?:\b(?:src|href|srcset)\s*=\s*\\?["']?|\burl\(\s*\\?["']?|@import\s+(?:url\()?\s*\\?["']?|\b(?:import|fetch|importScripts|Worker|EventSource|WebSocket)\(\s*\\?["'`])\s*(?:(?:https?|wss?):)?\/\//gi;
    const references = [...html.matchAll(fetchedElsewhere)].map((match) =>
      html.slice(match.index, match.index + 120),
    );
    expect(references).toEqual([]);
    expect(html).not.toMatch(/sourceMappingURL=/);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr\.net|cdnjs|fonts\.googleapis/);
    expect(html).toMatch(/<link rel="icon" href="data:/);
  });

  it("GraphiQL's page goes out gzipped to a browser that accepts it", async () => {
    const plain = await fetch(`${base}/graphql`, {
      headers: { accept: "text/html", "accept-encoding": "identity" },
    });
    expect(plain.headers.get("content-encoding")).toBeNull();
    const html = await plain.text();
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      get(
        `${base}/graphql`,
        { headers: { accept: "text/html", "accept-encoding": "gzip, deflate, br" } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }),
          );
        },
      ).on("error", reject);
    });
    expect(raw.encoding).toBe("gzip");
    expect(gunzipSync(raw.body).toString("utf8")).toBe(html);
    expect(raw.body.length).toBeLessThan(html.length / 3);
    // API answers are not compressed.
    const api = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-encoding": "gzip" },
      body: JSON.stringify({ query: "{ viewer { role } }" }),
    });
    expect(api.status).toBe(401);
    expect(api.headers.get("content-encoding")).toBeNull();
  });

  it("in demo mode GraphiQL's header hint names the demo admin", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "kam-graphiql-demo-"));
    const demo = await createTestApp({ KAM_TOKEN_SECRET: "", KAM_DATA_DIR: dataDir });
    try {
      expect(demo.config.tokenSecret).toBeUndefined();
      const response = await demo.yoga.fetch("http://kam.test/graphql", { headers: { accept: "text/html" } });
      const html = await response.text();
      expect(html).toContain(`npm run kam -- token --email ${demoAdminEmail}`);
      expect(html).not.toContain("you@example.com");
    } finally {
      await demo.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("POST /graphql without a token is refused with 401 and says why", async () => {
    const response = await postGraphql(base, "{ accounts { totalCount } }");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="kam"');
    const body = (await response.json()) as any;
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "MISSING" });
  });

  it("POST /graphql with a bad token is refused with 401", async () => {
    const response = await postGraphql(base, "{ accounts { totalCount } }", "not.a.token");
    expect(response.status).toBe(401);
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("POST /graphql with a token answers 200 with data", async () => {
    const admin = await app.createUser("ADMIN", "Ada");
    const response = await postGraphql(
      base,
      "{ viewer { kind role user { email } } accounts { totalCount } }",
      admin.token,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      viewer: { kind: "USER", role: "ADMIN", user: { email: admin.email } },
      accounts: { totalCount: 0 },
    });
  });

  it.each(["/nope", "/graphql/extra", "/healthz", "/widgets/nothing.js"])("%s is 404", async (route) => {
    const response = await fetch(`${base}${route}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("<!doctype html>");
  });
});

describe("CORS", () => {
  const allowed = "https://intranet.example.com";
  const evil = "https://evil.example";
  let corsApp: TestApp;
  let corsBase: string;

  beforeAll(async () => {
    corsApp = await createTestApp({ KAM_CORS_ORIGINS: allowed });
    corsBase = await listen(corsApp);
  });
  afterAll(() => corsApp.close());

  function preflight(url: string, origin: string) {
    return fetch(`${url}/graphql`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
  }

  it("lets a configured origin send Authorization", async () => {
    const response = await preflight(corsBase, allowed);
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get("access-control-allow-origin")).toBe(allowed);
    const allowedHeaders = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    expect(allowedHeaders.split(/\s*,\s*/)).toContain("authorization");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("answers the configured origin on the actual request too", async () => {
    const admin = await corsApp.createUser("ADMIN");
    const response = await fetch(`${corsBase}/graphql`, {
      method: "POST",
      headers: {
        origin: allowed,
        "content-type": "application/json",
        authorization: `Bearer ${admin.token}`,
      },
      body: JSON.stringify({ query: "{ accounts { totalCount } }" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(allowed);
  });

  it("does not hand another origin its own name back", async () => {
    const response = await preflight(corsBase, evil);
    const allowOrigin = response.headers.get("access-control-allow-origin");
    expect(allowOrigin).not.toBe(evil);
    expect(allowOrigin).not.toBe("*");
  });

  it("allows no foreign origin when KAM_CORS_ORIGINS is not set", async () => {
    expect(app.config.corsOrigins).toEqual([]);
    const response = await preflight(base, allowed);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const post = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { origin: evil, "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(post.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("configuration", () => {
  function problemsOf(env: Record<string, string>): string[] {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
  }

  it("names every bad variable at once", () => {
    const problems = problemsOf({
      PORT: "abc",
      DATABASE_URL: "mysql://x",
      KAM_TOKEN_SECRET: "short",
      KAM_CORS_ORIGINS: "https://ok.example,not an origin",
      KAM_DEMO_SEED: "maybe",
    });
    expect(problems).toHaveLength(5);
    const named = (variable: string) => problems.filter((problem) => problem.startsWith(`${variable}=`));
    expect(named("PORT")).toEqual([expect.stringContaining('PORT="abc"')]);
    expect(named("DATABASE_URL")).toEqual([expect.stringMatching(/^DATABASE_URL="mysql:\/\/x": must start/)]);
    expect(named("KAM_TOKEN_SECRET")).toEqual([expect.stringContaining("at least 32 characters")]);
    expect(named("KAM_CORS_ORIGINS")).toEqual([expect.stringContaining('"not an origin" is not an origin')]);
    expect(named("KAM_CORS_ORIGINS")[0]).not.toContain('"https://ok.example" is not');
    expect(named("KAM_DEMO_SEED")).toEqual([expect.stringContaining("must be true or false")]);
  });

  it("rejects a Redis URL that is not one, and channel names with spaces", () => {
    const problems = problemsOf({ KAM_REDIS_URL: "http://cache.example", KAM_EVENTS_CHANNEL: "kam prod" });
    expect(problems).toEqual([
      expect.stringMatching(/^KAM_REDIS_URL="http:\/\/cache.example": must be a redis:\/\//),
      expect.stringMatching(/^KAM_EVENTS_CHANNEL="kam prod": must be/),
    ]);
  });

  it.each(["70000", "0", "4000.5"])("rejects PORT=%s", (port) => {
    const problems = problemsOf({ PORT: port });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^PORT="${port.replace(".", "\\.")}": must be`));
  });

  it("the error message lists every problem", () => {
    expect(() => loadConfig({ PORT: "abc", KAM_GRAPHIQL: "perhaps" })).toThrow(
      /Invalid configuration:\n {2}- (PORT|KAM_GRAPHIQL)=.*\n {2}- (PORT|KAM_GRAPHIQL)=/,
    );
  });

  it("applies defaults when nothing is set, and treats empty values as unset", () => {
    const expected = {
      port: 4000,
      host: "0.0.0.0",
      databaseUrl: "file:./data/kam.db",
      tokenSecret: undefined,
      corsOrigins: [],
      demoSeed: true,
      dataDir: "data",
      graphiql: true,
      redisUrl: undefined,
      eventsChannel: "kam",
      limits: {
        ...defaultQueryLimits,
        maxBodyBytes: 4_000_000,
        queryTimeoutMs: 10_000,
        maxSubscriptions: 20,
      },
      rateLimits: { requests: 20, windowSeconds: 1, burstPerMinute: 600 },
    };
    expect(loadConfig({})).toEqual(expected);
    expect(loadConfig({ PORT: "", DATABASE_URL: "", KAM_CORS_ORIGINS: "" })).toEqual(expected);
  });

  it("parses good values", () => {
    const config = loadConfig({
      PORT: "8080",
      DATABASE_URL: "postgresql://kam@db.example/kam",
      KAM_CORS_ORIGINS: " https://a.example , https://b.example:8443 ",
      KAM_DEMO_SEED: "no",
      KAM_GRAPHIQL: "0",
      KAM_REDIS_URL: "redis://cache.example:6379/2",
      KAM_EVENTS_CHANNEL: "kam-prod",
    });
    expect(config).toMatchObject({
      redisUrl: "redis://cache.example:6379/2",
      eventsChannel: "kam-prod",
      port: 8080,
      databaseUrl: "postgresql://kam@db.example/kam",
      corsOrigins: ["https://a.example", "https://b.example:8443"],
      demoSeed: false,
      graphiql: false,
    });
  });
});

describe("the server process", () => {
  function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (child.exitCode !== null || child.signalCode !== null) {
      return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
    }
    return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  }

  function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000} s`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  it("starts on an empty database, migrates, seeds, serves, and exits 0 on SIGTERM", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kam-server-test-"));
    const port = await freePort();
    const databaseUrl =
      dbKind === "postgres"
        ? await createEmptyPostgresDatabase(inject("postgresTemplate"))
        : `file:${path.join(dir, "kam.db")}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      KAM_DATA_DIR: dir,
      KAM_DEMO_SEED: "true",
    };
    // Demo mode: the server and the CLI share the secret generated under KAM_DATA_DIR.
    delete env.KAM_TOKEN_SECRET;
    delete env.KAM_CORS_ORIGINS;

    let output = "";
    const child = spawn(process.execPath, ["--import", "tsx", "api/main.ts"], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    const exit = exited(child);
    const url = `http://127.0.0.1:${port}`;

    try {
      // It migrates and seeds before it listens.
      const deadline = Date.now() + 60_000;
      let health: any;
      while (Date.now() < deadline && child.exitCode === null) {
        try {
          const response = await fetch(`${url}/health`);
          if (response.status === 200) {
            health = await response.json();
            break;
          }
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(health, `the server never became healthy; its output:\n${output}`).toMatchObject({
        status: "ok",
        database: { kind: dbKind, status: "ok" },
      });

      const { stdout } = await promisify(execFile)(
        process.execPath,
        ["--import", "tsx", "api/cli.ts", "token", "--email", "admin@demo.kam"],
        { cwd: root, env, timeout: 60_000 },
      );
      const token = stdout.trim().split("\n").at(-1) ?? "";
      expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

      const response = await postGraphql(url, "{ viewer { role } accounts { totalCount } }", token);
      expect(response.status).toBe(200);
      const body = (await response.json()) as any;
      expect(body.errors).toBeUndefined();
      expect(body.data.viewer.role).toBe("ADMIN");
      expect(body.data.accounts.totalCount).toBeGreaterThanOrEqual(200);

      expect(child.kill("SIGTERM")).toBe(true);
      const { code, signal } = await within(exit, 10_000, "exit after SIGTERM");
      expect({ code, signal }, `server output:\n${output}`).toEqual({ code: 0, signal: null });
      expect(output).toContain("SIGTERM: finishing open requests and closing");
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await exit;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
