import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";
import { databaseKind, defaultDatabaseUrl, driverAdapter } from "../api/db/adapters.ts";

// The schema's datasource reads DATABASE_URL, so the CLI needs the default too.
process.env.DATABASE_URL ||= defaultDatabaseUrl;
const url = process.env.DATABASE_URL;
const here = path.dirname(fileURLToPath(import.meta.url));
const schemaDir = databaseKind(url) === "postgres" ? path.join(here, "postgres") : here;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(schemaDir, "schema.prisma"),
  migrations: { path: path.join(schemaDir, "migrations") },
  adapter: async () => driverAdapter(url),
});
