import { PrismaClient as PostgresClient } from "../../prisma/generated/postgres/client.ts";
import { PrismaClient as SqliteClient } from "../../prisma/generated/sqlite/client.ts";
import { type DatabaseKind, databaseKind, driverAdapter } from "./adapters.ts";
import { type Dialect, dialectOf } from "./dialect.ts";

export { type DatabaseKind, databaseKind, defaultDatabaseUrl, sqliteFilePath } from "./adapters.ts";

/**
 * The Prisma client the services use. Both generated clients come from one source schema, so
 * the PostgreSQL client has the same shape; the SQLite one names the type.
 */
export type DbClient = SqliteClient;

/** A database: its Prisma client, and the dialect for the few statements written per database. */
export interface Database {
  kind: DatabaseKind;
  dialect: Dialect;
  url: string;
  prisma: DbClient;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Called with every SQL statement the client sends (diagnostics, statement-count tests). */
  onQuery?: (sql: string) => void;
}

export function openDatabase(url: string, options: OpenOptions = {}): Database {
  const kind = databaseKind(url);
  const adapter = driverAdapter(url);
  const log = options.onQuery ? [{ emit: "event" as const, level: "query" as const }] : [];
  const prisma =
    kind === "postgres"
      ? (new PostgresClient({ adapter, log }) as unknown as DbClient)
      : (new SqliteClient({ adapter, log }) as unknown as DbClient);
  const onQuery = options.onQuery;
  if (onQuery) {
    (prisma as unknown as { $on(event: "query", listener: (event: { query: string }) => void): void }).$on(
      "query",
      (event) => onQuery(event.query),
    );
  }
  return { kind, dialect: dialectOf(kind), url, prisma, close: () => prisma.$disconnect() };
}
