import pg from "pg";
import { PrismaClient as PostgresClient } from "../../prisma/generated/postgres/client.ts";
import { PrismaClient as SqliteClient } from "../../prisma/generated/sqlite/client.ts";
import { type DatabaseKind, databaseKind, postgresAdapter, sqliteAdapter } from "./adapters.ts";
import { type Dialect, dialectOf } from "./dialect.ts";
import { postgresReads, type ReadStatement, sqliteReads } from "./statements.ts";

export { type DatabaseKind, databaseKind, defaultDatabaseUrl, sqliteFilePath } from "./adapters.ts";

/**
 * The Prisma client the services use. Both generated clients come from one source schema, so
 * the PostgreSQL client has the same shape; the SQLite one names the type.
 */
export type DbClient = SqliteClient;

/**
 * A database: its Prisma client, the dialect for the few statements written per database, and
 * `read` for the hot reads sent straight to the driver on the client's connections (statements.ts).
 */
export interface Database {
  kind: DatabaseKind;
  dialect: Dialect;
  url: string;
  prisma: DbClient;
  read: ReadStatement;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Called with every SQL statement the client sends (diagnostics, statement-count tests). */
  onQuery?: (sql: string) => void;
}

export function openDatabase(url: string, options: OpenOptions = {}): Database {
  const kind = databaseKind(url);
  const log = options.onQuery ? [{ emit: "event" as const, level: "query" as const }] : [];
  const onQuery = options.onQuery;
  let prisma: DbClient;
  let read: ReadStatement;
  if (kind === "postgres") {
    const pool = new pg.Pool({ connectionString: url });
    prisma = new PostgresClient({ adapter: postgresAdapter(pool), log }) as unknown as DbClient;
    read = postgresReads(pool, onQuery);
  } else {
    const adapter = sqliteAdapter(url);
    prisma = new SqliteClient({ adapter, log }) as unknown as DbClient;
    read = sqliteReads(async () => {
      if (!adapter.prepare) await prisma.$connect();
      return adapter.prepare as NonNullable<typeof adapter.prepare>;
    }, onQuery);
  }
  if (onQuery) {
    (prisma as unknown as { $on(event: "query", listener: (event: { query: string }) => void): void }).$on(
      "query",
      (event) => onQuery(event.query),
    );
  }
  return { kind, dialect: dialectOf(kind), url, prisma, read, close: () => prisma.$disconnect() };
}
