/**
 * `npm run db:migration -- <name>` writes the next migration for SQLite and PostgreSQL from the
 * one source schema, offline: each is the diff from the schema the previous migration was
 * written for (prisma/migrated.prisma) to the current one, in each database's dialect.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prismaCommand } from "../api/db/migrate.ts";
import { postgresSchemaPath, postgresVariant, sourceSchemaPath } from "./variants.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const migratedSchemaPath = path.join(here, "migrated.prisma");

function diff(from: string | null, to: string, databaseUrl: string): string {
  const fromArgs = from ? ["--from-schema-datamodel", from] : ["--from-empty"];
  const out = prismaCommand(
    ["migrate", "diff", ...fromArgs, "--to-schema-datamodel", to, "--script"],
    databaseUrl,
  );
  const sql = out.replace(/^Loaded Prisma config[^\n]*\n/m, "").trim();
  return sql === "-- This is an empty migration." ? "" : sql;
}

function write(migrationsDir: string, folder: string, sql: string) {
  const dir = path.join(migrationsDir, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), `${sql}\n`);
  console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
}

function main() {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("usage: npm run db:migration -- <name>   (lower case letters, digits and _)");
    process.exit(2);
  }
  const source = readFileSync(sourceSchemaPath, "utf8");
  writeFileSync(postgresSchemaPath, postgresVariant(source));
  const previous = existsSync(migratedSchemaPath) ? migratedSchemaPath : null;
  let previousPostgres: string | null = null;
  if (previous) {
    previousPostgres = path.join(mkdtempSync(path.join(tmpdir(), "kam-migration-")), "schema.prisma");
    writeFileSync(previousPostgres, postgresVariant(readFileSync(previous, "utf8")));
  }

  const sqliteSql = diff(previous, sourceSchemaPath, "file:./data/kam.db");
  // The diff is offline, but the schema engine opens a connection to the database first.
  const postgresUrl = process.env.KAM_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const postgresSql = diff(previousPostgres, postgresSchemaPath, postgresUrl);
  if (!sqliteSql && !postgresSql) {
    console.log("The schema has not changed since the last migration.");
    return;
  }
  const folder = `${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}_${name}`;
  write(path.join(here, "migrations"), folder, sqliteSql);
  write(path.join(here, "postgres", "migrations"), folder, postgresSql);
  copyFileSync(sourceSchemaPath, migratedSchemaPath);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
