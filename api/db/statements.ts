/**
 * Reads sent straight to the driver, on the connections the Prisma client uses: a prepared
 * statement per SQL text, kept per connection, with the rows as the driver gives them. A Prisma
 * call costs about 0.4 ms before the database sees it (the query is compiled on every call) and
 * several microseconds per row after; the hot reads of every request (who is asking, the
 * settings, the portfolio analyses, the rows a page shows) skip both.
 *
 * Statements are written with `Prisma.sql` and the dialect's fragments (dialect.ts), as every
 * raw statement of the services is, and go to the same `onQuery` listener as the client's (on
 * PostgreSQL, the pool's connections report every statement they send: db/index.ts).
 * On SQLite they run on the client's own connection, so they see what the client sees, inside
 * a transaction too; on PostgreSQL on the client's pool.
 */
import type BetterSqlite3 from "better-sqlite3";
import { LRUCache } from "lru-cache";
import pg from "pg";
import type { Prisma } from "../../prisma/generated/sqlite/client.ts";
import { assertNotStopped } from "./statement-scope.ts";

export type Row = Record<string, unknown>;

/** Runs one statement and answers its rows. */
export type ReadStatement = <T = Row>(statement: Prisma.Sql) => Promise<T[]>;

/** How many distinct statements stay prepared per connection. */
export const preparedStatements = 500;

export type SqliteStatement = BetterSqlite3.Statement<unknown[], unknown>;

/**
 * Reads on a better-sqlite3 connection: numbers as JavaScript numbers (not the BigInts the
 * client's connection is set to), each statement prepared once.
 */
export function sqliteReads(
  preparer: () => Promise<(sql: string) => SqliteStatement>,
  onQuery?: (sql: string) => void,
): ReadStatement {
  const statements = new LRUCache<string, SqliteStatement>({ max: preparedStatements });
  return async <T>(statement: Prisma.Sql) => {
    const sql = statement.sql;
    let prepared = statements.get(sql);
    if (!prepared) {
      prepared = (await preparer())(sql);
      prepared.safeIntegers(false);
      statements.set(sql, prepared);
    }
    assertNotStopped();
    onQuery?.(sql);
    return prepared.all(...statement.values.map(sqliteValue)) as T[];
  };
}

/** A bound value as better-sqlite3 takes it (the client stores instants as ISO text, booleans as 0/1). */
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/** PostgreSQL's TIMESTAMP (without time zone) type: Prisma stores UTC instants in it. */
const timestampWithoutZone = 1114;
const json = 114;
const jsonb = 3802;

const postgresTypes = {
  getTypeParser(oid: number, format?: string) {
    // A timestamp without zone is read as UTC, whatever the server process's time zone.
    if (oid === timestampWithoutZone) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    // JSON stays text, as SQLite gives it: the reader parses it (model-rows.ts).
    if (oid === json || oid === jsonb) return (text: string) => text;
    return pg.types.getTypeParser(oid, format as "text");
  },
};

/**
 * Reads on a pg pool: each SQL text prepared under a short name on each connection that runs it
 * (PostgreSQL keeps the plan per connection). Past the limit of names, statements run unprepared.
 */
export function postgresReads(pool: pg.Pool): ReadStatement {
  const names = new Map<string, string>();
  return async <T>(statement: Prisma.Sql) => {
    const text = statement.text;
    let name = names.get(text);
    if (!name && names.size < preparedStatements) {
      name = `kam_${names.size}`;
      names.set(text, name);
    }
    const result = await pool.query({ name, text, values: statement.values, types: postgresTypes });
    return result.rows as T[];
  };
}
