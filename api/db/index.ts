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

export function openDatabase(url: string): Database {
  const kind = databaseKind(url);
  const adapter = driverAdapter(url);
  const prisma =
    kind === "postgres" ? (new PostgresClient({ adapter }) as unknown as Db) : new SqliteClient({ adapter });
  return { kind, url, prisma, close: () => prisma.$disconnect() };
}
