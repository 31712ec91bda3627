import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { signUserToken } from "../../../api/auth/user-tokens.ts";
import { openDatabase } from "../../../api/db/index.ts";
import { freePort } from "../../support/network.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));
/** The processes' token secret, for a client that checks tokens as the API does. */
export const kamProcessTokenSecret = "browser-test-secret-that-is-long-enough-for-hs256";
const secret = kamProcessTokenSecret;

export interface KamProcess {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The process's ID (for its memory, read from /proc). */
  pid: number;
  databaseUrl: string;
  /** A signed user token for a person of the database, by e-mail (ttl in seconds). */
  tokenFor(email: string, ttlSeconds?: number): Promise<string>;
  /** A person in the database (for a process started without the demo data). */
  addUser(email: string, role: "ADMIN" | "MANAGER" | "VIEWER"): Promise<void>;
  /** Runs a GraphQL operation against the process, as the widgets do. */
  gql<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T>;
  stop(): Promise<void>;
  /** Everything the process printed. */
  output(): string;
}

export interface KamProcessOptions {
  /**
   * A database prepared beforehand (data at scale), or another process's, to share it; the
   * process migrates it and leaves it in place when it stops. A fresh SQLite file unless told.
   */
  databaseUrl?: string;
  /** Loads the demo data into an empty database (KAM_DEMO_SEED); true unless told. */
  seedDemo?: boolean;
}

/**
 * The real API process (`npm start`'s entry) on a fresh SQLite database with the demo data, on a
 * free port, with the widgets it serves. Extra environment (KAM_CORS_ORIGINS…) as given; another
 * database, or none of the demo data, through `options`.
 */
export async function startKamProcess(
  env: Record<string, string> = {},
  options: KamProcessOptions = {},
): Promise<KamProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), "kam-browser-"));
  const databaseUrl = options.databaseUrl ?? `file:${path.join(dir, "kam.db")}`;
  const port = await freePort();
  let printed = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "api/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      KAM_TOKEN_SECRET: secret,
      KAM_DATA_DIR: dir,
      KAM_DEMO_SEED: String(options.seedDemo ?? true),
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => {
    printed += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    printed += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start in 90 s:\n${printed}`)), 90_000);
    const check = () => {
      if (printed.includes("KAM listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited with ${code}:\n${printed}`));
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  const db = openDatabase(databaseUrl);
  return {
    origin,
    pid: child.pid as number,
    databaseUrl,
    async tokenFor(email, ttlSeconds = 3600) {
      const user = await db.prisma.user.findUniqueOrThrow({ where: { email } });
      return signUserToken(new TextEncoder().encode(secret), user.id, ttlSeconds);
    },
    async addUser(email, role) {
      await db.prisma.user.create({ data: { email, name: email.split("@")[0] as string, role } });
    },
    async gql(query, variables, token) {
      const response = await fetch(`${origin}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    },
    async stop() {
      await db.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
    output: () => printed,
  };
}

const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** WCAG 2.1 AA violations of what `selector` matches (the whole page by default), from axe-core. */
export async function axeViolations(
  page: Page,
  selector = "html",
): Promise<{ id: string; help: string; nodes: string[] }[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axeSource });
  return page.evaluate(async (target) => {
    const axe = (window as unknown as { axe: any }).axe;
    const result = await axe.run(target, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((violation: any) => ({
      id: violation.id,
      help: violation.help,
      nodes: violation.nodes.map((node: any) => `${node.target.join(" ")}: ${node.failureSummary}`),
    }));
  }, selector);
}
