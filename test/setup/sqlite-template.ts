import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../api/db/migrate.ts";

/** Migrates one SQLite template per run; each test file copies it. */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "kam-test-"));
  const template = path.join(dir, "template.db");
  applyMigrations(`file:${template}`);
  project.provide("sqliteTemplate", template);
  project.provide("testDir", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    dbKind: "sqlite" | "postgres";
    sqliteTemplate: string;
    postgresTemplate: string;
    testDir: string;
  }
}
