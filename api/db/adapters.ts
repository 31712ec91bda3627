import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type BetterSqlite3 from "better-sqlite3";
import { LRUCache } from "lru-cache";
import pg from "pg";
import { assertNotStopped } from "./statement-scope.ts";
import { preparedStatements, type SqliteStatement } from "./statements.ts";

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

type Statement = SqliteStatement;

/**
 * The statements that may have changed data on a connection, numbered in order: the number of
 * the last write to each table, and of the last one that could have changed any table (a write
 * whose table is not named plainly, or a rollback, which undoes writes of any table).
 */
export class WriteLog {
  sequence = 0;
  anyTable = 0;
  readonly byTable = new Map<string, number>();

  /** What to call each time the statement runs: it numbers the statement if it may change data. */
  counter(sql: string, readonly: boolean): () => void {
    const rollback = /^\s*ROLLBACK\b/i.test(sql);
    if (readonly && !rollback) return () => {};
    const table = rollback ? null : writtenTable(sql);
    return () => {
      this.sequence += 1;
      if (table) this.byTable.set(table, this.sequence);
      else this.anyTable = this.sequence;
    };
  }

  /** Whether a statement numbered after `sequence` may have changed one of the tables. */
  changedAfter(sequence: number, tables: readonly string[]): boolean {
    return this.anyTable > sequence || tables.some((table) => (this.byTable.get(table) ?? 0) > sequence);
  }
}

/** The table a plain INSERT, UPDATE or DELETE writes (the client's and the services' forms), or null. */
function writtenTable(sql: string): string | null {
  const match =
    /^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+(?:[`"]main[`"]\.)?[`"]?(\w+)[`"]?[\s(]/i.exec(
      sql,
    );
  return match?.[1] ?? null;
}

/**
 * A statement prepared once and run again with each call's parameters: better-sqlite3 binds a
 * statement for good, so the adapter's `prepare(sql).bind(args)` is answered by this view of the
 * cached statement with the call's parameters, which offers what the adapter uses of it.
 */
function boundView(statement: Statement, args: unknown[], counted: () => void) {
  return {
    reader: statement.reader,
    columns: () => statement.columns(),
    run: () => {
      counted();
      return statement.run(...args);
    },
    raw: () => {
      statement.raw(true);
      return {
        all: () => {
          counted();
          return statement.all(...args);
        },
      };
    },
  };
}

/**
 * The better-sqlite3 adapter prepares every statement again on every call, which costs as much as
 * running a short one. This one keeps the last statements prepared per connection, by SQL text.
 */
export class CachingSqliteAdapter extends PrismaBetterSQLite3 {
  /** Prepares a statement on the client's connection, once the client has opened it. */
  prepare: ((sql: string) => Statement) | undefined;
  /** The writes the client has sent on its connection (with SQLite's count of other connections' commits, the data's version: index.ts). */
  readonly writes = new WriteLog();

  override async connect() {
    const adapter = await super.connect();
    const client = (adapter as unknown as { client: BetterSqlite3.Database }).client;
    const prepare = client.prepare.bind(client) as (sql: string) => Statement;
    this.prepare = prepare;
    const statements = new LRUCache<string, Statement>({ max: preparedStatements });
    (client as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
      // Not for a read that has been stopped (statement-scope.ts).
      assertNotStopped();
      let statement = statements.get(sql);
      if (!statement) {
        statement = prepare(sql);
        statements.set(sql, statement);
      }
      const cached = statement;
      const counted = this.writes.counter(sql, cached.readonly);
      return {
        bind: (args: unknown[]) => boundView(cached, args, counted),
        run: () => {
          counted();
          return cached.run();
        },
      };
    };
    return adapter;
  }
}

/** The SQLite driver adapter for a `file:` URL. */
export function sqliteAdapter(url: string): CachingSqliteAdapter {
  ensureSqliteFolder(url);
  return new CachingSqliteAdapter({ url: sqliteFilePath(url), timeout: 10_000 });
}

/** The PostgreSQL driver adapter on a pool, which it ends when the client disconnects. */
export function postgresAdapter(pool: pg.Pool): PrismaPg {
  return new PrismaPg(pool, { disposeExternalPool: true });
}

/** The driver adapter for a database URL, used by the CLI to migrate. */
export function driverAdapter(url: string): PrismaBetterSQLite3 | PrismaPg {
  if (databaseKind(url) === "postgres") return postgresAdapter(new pg.Pool({ connectionString: url }));
  return sqliteAdapter(url);
}
