import { existsSync, mkdirSync } from "node:fs";
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

/** A database URL as it may be shown or logged: the password replaced by ***. */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^/]*@/i, "$1:***@");
}

/** The SQLite file a `file:` URL points at, relative paths taken from the working directory. */
export function sqliteFilePath(url: string): string {
  return path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

/**
 * Creates the default database's folder on a first start. A missing folder anywhere else is taken
 * for a mistake in DATABASE_URL: creating it would start an empty database nobody meant to use.
 */
export function ensureSqliteFolder(url: string): void {
  const folder = path.dirname(sqliteFilePath(url));
  if (existsSync(folder)) return;
  if (folder !== path.dirname(sqliteFilePath(defaultDatabaseUrl))) {
    throw new Error(
      `DATABASE_URL=${url}: the folder ${folder} does not exist; create it, or correct the path.`,
    );
  }
  mkdirSync(folder, { recursive: true });
}

/** The driver adapter for a database URL, used by the client at run time and by the CLI to migrate. */
export function driverAdapter(url: string): PrismaBetterSQLite3 | PrismaPg {
  if (databaseKind(url) === "postgres") return new PrismaPg({ connectionString: url });
  ensureSqliteFolder(url);
  return new PrismaBetterSQLite3({ url: sqliteFilePath(url), timeout: 10_000 });
}
