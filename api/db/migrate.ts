import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

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

/** Applies the committed migrations that the database has not seen yet. */
export function applyMigrations(databaseUrl: string): void {
  try {
    prismaCommand(["migrate", "deploy"], databaseUrl);
  } catch (error) {
    const detail = (error as { stderr?: string; stdout?: string }).stderr || (error as Error).message;
    throw new Error(`Could not apply migrations:\n${detail}`);
  }
}
