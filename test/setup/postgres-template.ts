import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../api/db/migrate.ts";
import { postgresAdminUrl, postgresRunPrefix } from "../support/postgres.ts";

/**
 * Migrates one PostgreSQL template database per run; each test file gets
 * CREATE DATABASE … TEMPLATE it, which is far faster than migrating per file.
 */
export default async function setup(project: TestProject) {
  const adminUrl = postgresAdminUrl();
  const prefix = postgresRunPrefix();
  const template = `${prefix}template`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  applyMigrations(templateUrl.toString());

  const dir = mkdtempSync(path.join(tmpdir(), "kam-test-pg-"));
  project.provide("postgresTemplate", template);
  project.provide("testDir", dir);

  return async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`${prefix}%`],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  };
}
