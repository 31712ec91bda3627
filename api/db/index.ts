import { PrismaClient as PostgresClient } from "../../prisma/generated/postgres/client.ts";
import { PrismaClient as SqliteClient } from "../../prisma/generated/sqlite/client.ts";
import { type DatabaseKind, databaseKind, driverAdapter } from "./adapters.ts";

export { type DatabaseKind, databaseKind, defaultDatabaseUrl, sqliteFilePath } from "./adapters.ts";

/**
 * The Prisma client the services use. Both generated clients come from one source schema, so
 * the PostgreSQL client has the same shape; the SQLite one names the type.
 */
export type Db = SqliteClient;

export interface Database {
  kind: DatabaseKind;
  url: string;
  prisma: Db;
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
      ? (new PostgresClient({ adapter, log }) as unknown as Db)
      : (new SqliteClient({ adapter, log }) as unknown as Db);
  const onQuery = options.onQuery;
  if (onQuery) {
    (prisma as unknown as { $on(event: "query", listener: (event: { query: string }) => void): void }).$on(
      "query",
      (event) => onQuery(event.query),
    );
  }
  kinds.set(prisma, kind);
  return { kind, url, prisma, close: () => prisma.$disconnect() };
}

const kinds = new WeakMap<Db, DatabaseKind>();

/**
 * The database a client from `openDatabase` talks to, for the few statements written per dialect.
 * A transaction's client is not known here: ask with the client the transaction was started on.
 */
export function databaseKindOf(prisma: Db): DatabaseKind {
  const kind = kinds.get(prisma);
  if (!kind)
    throw new Error("not a client from openDatabase (inside a transaction, ask with the outer client)");
  return kind;
}
