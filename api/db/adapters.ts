import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

export const defaultDatabaseUrl = "file:./data/kam.db";

export type DatabaseKind = "sqlite" | "postgres";

export function databaseKind(url: string): DatabaseKind {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgres";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(`must start with file: (SQLite) or postgres:// (PostgreSQL), got "${url}"`);
}

/** The SQLite file a `file:` URL points at, relative paths taken from the working directory. */
export function sqliteFilePath(url: string): string {
  return path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

/** The driver adapter for a database URL, used by the client at run time and by the CLI to migrate. */
export function driverAdapter(url: string): PrismaBetterSQLite3 | PrismaPg {
  if (databaseKind(url) === "postgres") return new PrismaPg({ connectionString: url });
  const file = sqliteFilePath(url);
  mkdirSync(path.dirname(file), { recursive: true });
  return new PrismaBetterSQLite3({ url: file, timeout: 10_000 });
}
