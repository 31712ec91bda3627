import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { databaseKind, sqliteFilePath, withoutPassword } from "./adapters.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const prismaCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve("prisma/package.json")),
  "build",
  "index.js",
);
const configPath = path.join(root, "prisma", "prisma.config.ts");

/** Runs the Prisma CLI with the project's config (offline JavaScript schema engine) against a database. */
export function prismaCommand(args: string[], databaseUrl: string): string {
  return execFileSync(process.execPath, [prismaCli, ...args, "--config", configPath], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Migrations that could not be applied: a one-line message, and Prisma's whole output beside it. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

/** Prisma's output without its banner lines and the schema engine's trace. */
function essentials(output: string): string {
  return output
    .split("\n")
    .map((line) => line.trim())
    .filter(
      (line) =>
        line && !/^(Loaded Prisma config|Prisma config detected|Datasource |\d+: |at |with )/.test(line),
    )
    .join(" ")
    .slice(0, 400);
}

/** Applies the committed migrations that the database has not seen yet. */
export function applyMigrations(databaseUrl: string): void {
  // The schema engine runs from the project folder: a relative SQLite path must mean the same file.
  const url = databaseKind(databaseUrl) === "sqlite" ? `file:${sqliteFilePath(databaseUrl)}` : databaseUrl;
  try {
    prismaCommand(["migrate", "deploy"], url);
  } catch (error) {
    const detail = (error as { stderr?: string; stdout?: string }).stderr || (error as Error).message;
    const reason = /\bP3005\b/.test(detail)
      ? "it already holds tables that are not KAM's; point DATABASE_URL at a KAM database or an empty one"
      : `the migrations could not be applied (${essentials(detail)})`;
    throw new MigrationError(`DATABASE_URL=${withoutPassword(databaseUrl)}: ${reason}.`, detail);
  }
}
