import { createRequire } from "node:module";
import { configDefaults, defineConfig } from "vitest/config";

// Every API test runs on SQLite; with KAM_TEST_POSTGRES_URL set, the same files run on PostgreSQL too.
const postgresUrl = process.env.KAM_TEST_POSTGRES_URL;
if (!postgresUrl && process.env.CI === "true") {
  throw new Error("CI=true but KAM_TEST_POSTGRES_URL is not set: the PostgreSQL suite must run in CI.");
}
if (!postgresUrl) {
  console.warn("KAM_TEST_POSTGRES_URL is not set: running the suite on SQLite only.");
}
// The live-update tests across instances need Redis: in CI it is named, never assumed.
if (!process.env.KAM_TEST_REDIS_URL && process.env.CI === "true") {
  throw new Error(
    "CI=true but KAM_TEST_REDIS_URL is not set: the tests across API instances must run in CI.",
  );
}

const apiTests = ["test/api/**/*.test.ts", "test/security/**/*.test.ts"];
// Tests in a real Chromium against the real HTTP server; the browser is the client, so SQLite is enough.
const browserTests = ["test/browser/**/*.test.ts"];
// 10,000 accounts scrolled end to end: run alone, after everything else, so that what it checks
// (a bounded window of rows, pages fetched where the reader goes) is not starved of CPU by the
// other suites sharing the machine.
const browserScaleTests = ["test/browser/score-matrix-scale.test.ts"];
const processTests = ["test/api/startup.test.ts"];

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for the libraries; the tests must use the same instance.
    alias: { graphql: createRequire(import.meta.url).resolve("graphql") },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true as const,
        test: {
          name: "sqlite",
          include: apiTests,
          globalSetup: ["test/setup/sqlite-template.ts"],
          provide: { dbKind: "sqlite" as const },
        },
      },
      {
        extends: true as const,
        test: {
          name: "browser",
          include: browserTests,
          exclude: [...configDefaults.exclude, ...browserScaleTests],
          globalSetup: ["test/setup/sqlite-template.ts"],
          provide: { dbKind: "sqlite" as const },
        },
      },
      {
        extends: true as const,
        test: {
          name: "browser-scale",
          include: browserScaleTests,
          globalSetup: ["test/setup/sqlite-template.ts"],
          provide: { dbKind: "sqlite" as const },
          sequence: { groupOrder: 1 },
        },
      },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: {
                name: "postgres",
                include: apiTests,
                // Start-up and shutdown of the server process: each case names the database it
                // needs (PostgreSQL cases included), so one run covers them.
                exclude: [...configDefaults.exclude, ...processTests],
                globalSetup: ["test/setup/postgres-template.ts"],
                provide: { dbKind: "postgres" as const },
              },
            },
          ]
        : []),
    ],
  },
});
