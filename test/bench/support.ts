/** What the benchmarks share: fresh databases of the chosen kind, dropped at the end, and timing. */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "../../api/db/migrate.ts";

export type BenchDatabaseKind = "sqlite" | "postgres";

/** Fresh, migrated databases: temp files, or new PostgreSQL databases next to KAM_TEST_POSTGRES_URL's. */
export function benchDatabases(kind: BenchDatabaseKind) {
  const workDir = mkdtempSync(path.join(tmpdir(), "kam-bench-"));
  const postgresDatabases: string[] = [];

  async function fresh(): Promise<string> {
    if (kind === "sqlite") return `file:${path.join(workDir, `${randomBytes(4).toString("hex")}.db`)}`;
    const adminUrl = process.env.KAM_TEST_POSTGRES_URL;
    if (!adminUrl) throw new Error("--database postgres needs KAM_TEST_POSTGRES_URL");
    const name = `kam_bench_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    postgresDatabases.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  return {
    workDir,
    async migrated(): Promise<string> {
      const url = await fresh();
      applyMigrations(url);
      return url;
    },
    async cleanUp() {
      rmSync(workDir, { recursive: true, force: true });
      const adminUrl = process.env.KAM_TEST_POSTGRES_URL;
      if (!adminUrl || postgresDatabases.length === 0) return;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        for (const name of postgresDatabases)
          await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** One warm-up, then `runs` timed runs; the median in milliseconds and the last result. */
export async function timed<T>(runs: number, run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  let result = await run();
  const times: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    result = await run();
    times.push(performance.now() - started);
  }
  return { ms: median(times), result };
}

/**
 * Runs each measurement once per round, `runs` rounds after one warm-up, so that a busy machine
 * slows them alike; the median of each in milliseconds and its last result.
 */
export async function interleaved<K extends string, T>(
  runs: number,
  measurements: Record<K, () => Promise<T>>,
): Promise<Record<K, { ms: number; result: T }>> {
  const keys = Object.keys(measurements) as K[];
  const results = {} as Record<K, T>;
  const times = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
  for (const key of keys) results[key] = await measurements[key]();
  for (let round = 0; round < runs; round += 1) {
    for (const key of keys) {
      const started = performance.now();
      results[key] = await measurements[key]();
      times[key].push(performance.now() - started);
    }
  }
  return Object.fromEntries(
    keys.map((key) => [key, { ms: median(times[key]), result: results[key] }]),
  ) as Record<K, { ms: number; result: T }>;
}
