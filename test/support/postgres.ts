import { randomBytes } from "node:crypto";
import pg from "pg";

export function postgresAdminUrl(): string {
  const url = process.env.KAM_TEST_POSTGRES_URL;
  if (!url) throw new Error("KAM_TEST_POSTGRES_URL is not set");
  return url;
}

/** Databases of one test run share a prefix so the run can drop them all at the end. */
export function postgresRunPrefix(): string {
  process.env.KAM_TEST_RUN_ID ||= `${process.pid}_${randomBytes(3).toString("hex")}`;
  return `kam_t_${process.env.KAM_TEST_RUN_ID}_`;
}

export function postgresDatabaseUrl(database: string): string {
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh database copied from the migrated template. */
export async function createPostgresDatabase(template: string): Promise<string> {
  const name = `${template.replace(/template$/, "")}${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  return postgresDatabaseUrl(name);
}

/** An empty database named after the run's template, so the run drops it at the end. */
export async function createEmptyPostgresDatabase(template: string): Promise<string> {
  const name = `${template.replace(/template$/, "")}${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return postgresDatabaseUrl(name);
}
