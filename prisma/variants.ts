/**
 * Writes the PostgreSQL variant of the source schema. The generated client bakes in its
 * provider, so each database needs its own client generated from an equivalent schema.
 * `--check` exits non-zero when the committed variant has drifted from the source.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceSchemaPath = path.join(here, "schema.prisma");
export const postgresSchemaPath = path.join(here, "postgres", "schema.prisma");

export function postgresVariant(source: string): string {
  const header =
    "// GENERATED from prisma/schema.prisma by `npm run db:variants`. Do not edit: edit the source.\n";
  const body = source
    .replace(/^\/\/ The one source schema\.[^\n]*\n(\/\/[^\n]*\n)*/m, "")
    .replace(/provider = "sqlite"/, 'provider = "postgresql"')
    .replace(/output(\s+)= "\.\/generated\/sqlite"/, 'output$1= "../generated/postgres"')
    .replace(/\ngenerator pothos \{[^}]*\}\n\n/, "\n");
  return header + body;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const expected = postgresVariant(readFileSync(sourceSchemaPath, "utf8"));
  if (process.argv.includes("--check")) {
    const actual = readFileSync(postgresSchemaPath, "utf8");
    if (actual !== expected) {
      console.error("prisma/postgres/schema.prisma is stale: run `npm run db:variants`.");
      process.exit(1);
    }
  } else {
    writeFileSync(postgresSchemaPath, expected);
    console.log(`wrote ${path.relative(process.cwd(), postgresSchemaPath)}`);
  }
}
