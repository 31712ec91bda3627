import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUserToken } from "../../api/auth/user-tokens.ts";
import { openDatabase } from "../../api/db/index.ts";
import { MigrationError } from "../../api/db/migrate.ts";
import { checkDatabase, failureReport, postgresProblem, StartupError } from "../../api/startup.ts";
import { createTestDatabaseUrl, testTokenSecret } from "../support/app.ts";
import { freePort, reachable } from "../support/network.ts";

/**
 * `npm start` and the CLI as an operator meets them: every mistake in the settings is one line
 * naming the variable, exit code 1, no stack; a stop signal ends open subscriptions cleanly.
 * These do not depend on the suite's database kind, so they run once, with the SQLite project.
 */

const root = fileURLToPath(new URL("../..", import.meta.url));
const postgresServer = process.env.KAM_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function start(script: "api/main.ts" | "api/cli.ts", env: Record<string, string>, args: string[] = []): Run {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOST: "127.0.0.1", KAM_DEMO_SEED: "false", ...env };
  delete childEnv.KAM_DEBUG;
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: root,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function kill(run: Run) {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
}

/** Runs a process that must refuse to start, and returns its one-line explanation. */
async function refusal(
  env: Record<string, string>,
  script: "api/main.ts" | "api/cli.ts" = "api/main.ts",
  args: string[] = [],
) {
  const started = performance.now();
  const run = start(script, env, args);
  try {
    const { code, signal, at } = await within(run.exit, 45_000, "the refusal");
    const stderr = run.stderr().trim();
    const lines = stderr.split("\n").filter((line) => line.trim());
    console.log(`${Math.round(at - started)} ms: ${stderr}`);
    expect({ code, signal }, `stderr:\n${stderr}\nstdout:\n${run.stdout()}`).toEqual({
      code: 1,
      signal: null,
    });
    expect(lines, stderr).toHaveLength(1);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toMatch(/Error:|node:internal|\.ts:\d+/);
    expect(run.stdout()).not.toContain("KAM listening");
    return lines[0] as string;
  } finally {
    kill(run);
  }
}

describe("start-up mistakes are one line, exit code 1", () => {
  let dir: string;
  let postgresUp = false;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "kam-startup-test-"));
    postgresUp = await reachable(postgresServer, 5432);
    if (!postgresUp) {
      if (process.env.CI === "true")
        throw new Error(`CI=true but PostgreSQL is not reachable at ${postgresServer}.`);
      console.log(`PostgreSQL is not reachable at ${postgresServer}: skipping its start-up checks.`);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sqlite = (name: string) => `file:${path.join(dir, name)}`;

  it("PORT already in use", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", () => resolve()));
    const { port } = holder.address() as AddressInfo;
    try {
      const line = await refusal({ PORT: String(port), DATABASE_URL: sqlite("port.db"), KAM_DATA_DIR: dir });
      expect(line).toBe(
        `PORT=${port}: the port is already in use; stop the other server, or set PORT to a free port.`,
      );
    } finally {
      holder.close();
    }
    // Told before migrating: no database was made.
    expect(existsSync(path.join(dir, "port.db"))).toBe(false);
  });

  it("HOST that does not resolve", async () => {
    const line = await refusal({
      HOST: "no-such-host.invalid",
      PORT: String(await freePort()),
      DATABASE_URL: sqlite("host.db"),
      KAM_DATA_DIR: dir,
    });
    expect(line).toMatch(/^HOST=no-such-host\.invalid: the name cannot be resolved; set HOST to /);
  });

  it("HOST that is not an address of this machine", async () => {
    // 192.0.2.0/24 is reserved for documentation, so no machine has it.
    const line = await refusal({
      HOST: "192.0.2.1",
      PORT: String(await freePort()),
      DATABASE_URL: sqlite("host.db"),
      KAM_DATA_DIR: dir,
    });
    expect(line).toMatch(/^HOST=192\.0\.2\.1: this machine has no such address; set HOST to /);
  });

  it("DATABASE_URL in a folder that does not exist: refused, nothing created", async () => {
    const missing = path.join(dir, "typo", "kam.db");
    const line = await refusal({
      DATABASE_URL: `file:${missing}`,
      KAM_DATA_DIR: dir,
      PORT: String(await freePort()),
    });
    expect(line).toBe(
      `DATABASE_URL=file:${missing}: the folder ${path.dirname(missing)} does not exist; create it, or correct the path.`,
    );
    expect(existsSync(path.dirname(missing))).toBe(false);
  });

  it("the CLI refuses the same folder, and creates nothing either", async () => {
    const missing = path.join(dir, "typo-cli", "kam.db");
    const line = await refusal({ DATABASE_URL: `file:${missing}`, KAM_DATA_DIR: dir }, "api/cli.ts", [
      "user",
      "list",
    ]);
    expect(line).toMatch(
      /^error: DATABASE_URL=file:.*typo-cli\/kam\.db: the folder .* does not exist; create it/,
    );
    expect(existsSync(path.dirname(missing))).toBe(false);
  });

  it("DATABASE_URL at a file that is not a SQLite database: refused, the file left as it was", async () => {
    const file = path.join(dir, "notes.txt");
    writeFileSync(file, "these are my notes, not a database\n");
    const line = await refusal({
      DATABASE_URL: `file:${file}`,
      KAM_DATA_DIR: dir,
      PORT: String(await freePort()),
    });
    expect(line).toMatch(
      new RegExp(`^DATABASE_URL=file:${file}: ${file} is not a SQLite database; point DATABASE_URL at`),
    );
    expect(readFileSync(file, "utf8")).toBe("these are my notes, not a database\n");
  });

  it("DATABASE_URL at a folder", async () => {
    const line = await refusal({
      DATABASE_URL: `file:${dir}`,
      KAM_DATA_DIR: dir,
      PORT: String(await freePort()),
    });
    expect(line).toMatch(/is a folder; name a database file in it, such as file:.*\/kam\.db\.$/);
  });

  it("DATABASE_URL at another application's SQLite database", async () => {
    const file = path.join(dir, "other-app.db");
    const other = openDatabase(`file:${file}`);
    await other.prisma.$executeRawUnsafe("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
    await other.close();
    const line = await refusal({
      DATABASE_URL: `file:${file}`,
      KAM_DATA_DIR: dir,
      PORT: String(await freePort()),
    });
    expect(line).toMatch(
      /^DATABASE_URL=file:.*other-app\.db: it already holds tables that are not KAM's; point /,
    );
  });

  it("PostgreSQL that refuses connections", async () => {
    const line = await refusal({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/x",
      KAM_DATA_DIR: dir,
      PORT: String(await freePort()),
    });
    expect(line).toBe(
      "DATABASE_URL=postgresql://postgres@127.0.0.1:1/x: nothing accepts connections at 127.0.0.1:1; start PostgreSQL there, or correct the host and port.",
    );
  });

  it("PostgreSQL on a host that does not resolve", async () => {
    const line = await refusal({
      DATABASE_URL: "postgresql://postgres:secret@no-such-host.invalid:5432/x",
      KAM_DATA_DIR: dir,
      PORT: String(await freePort()),
    });
    expect(line).toBe(
      "DATABASE_URL=postgresql://postgres:***@no-such-host.invalid:5432/x: the host no-such-host.invalid is unknown; correct the host name.",
    );
  });

  it("PostgreSQL without the database", async ({ skip }) => {
    if (!postgresUp) skip();
    const url = new URL(postgresServer);
    url.pathname = "/kam_missing_db_xyz";
    const line = await refusal({
      DATABASE_URL: url.toString(),
      KAM_DATA_DIR: dir,
      PORT: String(await freePort()),
    });
    expect(line).toMatch(
      /^DATABASE_URL=postgres(ql)?:\/\/.*\/kam_missing_db_xyz: the database kam_missing_db_xyz does not exist on .*; create it \(createdb kam_missing_db_xyz\) or correct its name\.$/,
    );
  });

  it("PostgreSQL with a role that does not exist, its password masked", async ({ skip }) => {
    if (!postgresUp) skip();
    const url = new URL(postgresServer);
    url.username = "nobody";
    url.password = "wrong";
    const line = await refusal({
      DATABASE_URL: url.toString(),
      KAM_DATA_DIR: dir,
      PORT: String(await freePort()),
    });
    expect(line).toMatch(
      /^DATABASE_URL=postgres(ql)?:\/\/nobody:\*\*\*@.*: PostgreSQL does not let user nobody in \(/,
    );
    expect(line).not.toContain("wrong");
  });

  it("the CLI explains an unreachable PostgreSQL the same way", async () => {
    const line = await refusal({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/x" }, "api/cli.ts", [
      "migrate",
    ]);
    expect(line).toMatch(
      /^error: DATABASE_URL=postgresql:\/\/postgres@127\.0\.0\.1:1\/x: nothing accepts connections/,
    );
  });
});

describe("start-up checks in-process", () => {
  it("a PostgreSQL server that never answers is given up on within the time limit", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    const { port } = silent.address() as AddressInfo;
    const started = performance.now();
    try {
      await expect(checkDatabase(`postgresql://postgres@127.0.0.1:${port}/kam`, 500)).rejects.toThrow(
        new StartupError(
          `DATABASE_URL=postgresql://postgres@127.0.0.1:${port}/kam: no answer from 127.0.0.1:${port} within 0.5 s; check the host, the port and any firewall in between.`,
        ),
      );
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      silent.close();
    }
  });

  it("a wrong password is named as such (trust authentication never asks for one here)", () => {
    const error = Object.assign(new Error('password authentication failed for user "kam"'), {
      code: "28P01",
    });
    expect(
      postgresProblem("postgresql://kam:hunter2@db.example:5432/kam", error, {
        host: "db.example",
        port: 5432,
        user: "kam",
        database: "kam",
        timeoutMs: 5000,
      }),
    ).toBe(
      "DATABASE_URL=postgresql://kam:***@db.example:5432/kam: PostgreSQL refused the password of user kam; correct the user name or the password.",
    );
  });

  it("an unexpected error is one line with a pointer to the details", () => {
    const report = failureReport(new Error("the disk is on fire\n    at somewhere (x.ts:1:1)"));
    expect(report).toBe("unexpected error: the disk is on fire (set KAM_DEBUG=1 to see where it happened)");
    const migration = failureReport(
      new MigrationError("DATABASE_URL=file:x.db: it broke.", "the whole story"),
    );
    expect(migration).toBe("DATABASE_URL=file:x.db: it broke. Set KAM_DEBUG=1 to see Prisma's output.");
  });
});

describe("stopping the server process", () => {
  const subscription = "subscription { scoreChanged { criterionKey value } }";

  it("SIGTERM with an open subscription: the stream completes and the process exits 0 at once", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kam-stop-test-"));
    const databaseUrl = await createTestDatabaseUrl();
    const db = openDatabase(databaseUrl);
    const admin = await db.prisma.user.create({
      data: { email: "stop@test.kam", name: "Stop", role: "ADMIN" },
    });
    await db.close();
    const token = await signUserToken(new TextEncoder().encode(testTokenSecret), admin.id, 600);
    const port = await freePort();
    const run = start("api/main.ts", {
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      KAM_TOKEN_SECRET: testTokenSecret,
      KAM_DATA_DIR: dir,
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 60_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && run.child.exitCode === null) {
        healthy = await fetch(`${url}/health`).then(
          (response) => response.ok,
          () => false,
        );
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(healthy, `the server never became healthy:\n${run.stdout()}${run.stderr()}`).toBe(true);

      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: {
          accept: "text/event-stream",
          "content-type": "application/json",
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ query: subscription }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let stream = "";
      // Yoga opens the stream with a comment; after it the subscription is listening.
      while (!stream.includes("\n\n")) {
        const { done, value } = await within(reader.read(), 5000, "the first bytes of the stream");
        if (done) break;
        stream += decoder.decode(value, { stream: true });
      }
      const ended = (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          stream += decoder.decode(value, { stream: true });
        }
      })();

      const signalled = performance.now();
      expect(run.child.kill("SIGTERM")).toBe(true);
      await within(ended, 3000, "the end of the stream after SIGTERM");
      const streamEndedMs = performance.now() - signalled;
      const { code, signal, at } = await within(run.exit, 3000, "exit after SIGTERM");
      const exitMs = at - signalled;
      console.log(
        `SIGTERM → stream ended in ${Math.round(streamEndedMs)} ms, process exited in ${Math.round(exitMs)} ms`,
      );

      expect(stream).toMatch(/event: complete\ndata:\s*\n\n$/);
      expect({ code, signal }, `output:\n${run.stdout()}${run.stderr()}`).toEqual({ code: 0, signal: null });
      expect(exitMs).toBeLessThan(3000);
      expect(run.stdout()).toContain("SIGTERM: finishing open requests and closing");
      expect(run.stderr()).toBe("");
    } finally {
      kill(run);
      await run.exit;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
