import pg from "pg";
import { PrismaClient as PostgresClient } from "../../prisma/generated/postgres/client.ts";
import { PrismaClient as SqliteClient } from "../../prisma/generated/sqlite/client.ts";
import { type DatabaseKind, databaseKind, postgresAdapter, sqliteAdapter } from "./adapters.ts";
import { type Dialect, dialectOf } from "./dialect.ts";
import { assertNotStopped, stoppedReason } from "./statement-scope.ts";
import { postgresReads, type ReadStatement, type SqliteStatement, sqliteReads } from "./statements.ts";

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
  /**
   * The data as it stands, to tell later whether some tables may have changed since
   * (`changedSince`; since-last-write.ts). SQLite: the file's count of other connections' commits
   * and the number of this client's last write; PostgreSQL: the snapshot of running and finished
   * transactions, which any committed write changes.
   */
  dataMark(): Promise<DataMark>;
  /** Whether the tables may have changed between the two marks (`later` read after `earlier`). */
  changedSince(earlier: DataMark, later: DataMark, tables: readonly string[]): boolean;
  close(): Promise<void>;
}

export interface DataMark {
  /** SQLite: the file's data version; PostgreSQL: the transaction snapshot. */
  at: string;
  /** SQLite: the number of the client's last write (adapters.ts). */
  sequence: number;
}

export interface OpenOptions {
  /** Called with every SQL statement the client sends (diagnostics, statement-count tests). */
  onQuery?: (sql: string) => void;
}

export function openDatabase(url: string, options: OpenOptions = {}): Database {
  const kind = databaseKind(url);
  const onQuery = options.onQuery;
  let prisma: DbClient;
  let read: ReadStatement;
  let dataMark: () => Promise<DataMark>;
  let changedSince: Database["changedSince"];
  if (kind === "postgres") {
    const pool = new pg.Pool({ connectionString: url });
    // Each connection refuses a statement of a stopped read and logs the others as it sends them
    // (the client's log event comes only once a statement has finished).
    pool.on("connect", (connection) => guardStatements(connection, onQuery));
    prisma = new PostgresClient({ adapter: postgresAdapter(pool) }) as unknown as DbClient;
    read = postgresReads(pool);
    dataMark = async () => ({
      at:
        (await pool.query<{ snapshot: string }>("SELECT pg_current_snapshot()::text AS snapshot")).rows[0]
          ?.snapshot ?? "",
      sequence: 0,
    });
    changedSince = (earlier, later) => later.at !== earlier.at;
  } else {
    const adapter = sqliteAdapter(url);
    const log = onQuery ? [{ emit: "event" as const, level: "query" as const }] : [];
    prisma = new SqliteClient({ adapter, log }) as unknown as DbClient;
    const preparer = async () => {
      if (!adapter.prepare) await prisma.$connect();
      return adapter.prepare as NonNullable<typeof adapter.prepare>;
    };
    read = sqliteReads(preparer, onQuery);
    let fileVersion: SqliteStatement | undefined;
    dataMark = async () => {
      assertNotStopped();
      fileVersion ??= (await preparer())("PRAGMA data_version").pluck();
      return { at: String(fileVersion.get()), sequence: adapter.writes.sequence };
    };
    changedSince = (earlier, later, tables) =>
      later.at !== earlier.at || adapter.writes.changedAfter(earlier.sequence, tables);
    if (onQuery) {
      // SQLite runs each statement to its end before anything else runs: logged when it has.
      (prisma as unknown as { $on(event: "query", listener: (event: { query: string }) => void): void }).$on(
        "query",
        (event) => onQuery(event.query),
      );
    }
  }
  return {
    kind,
    dialect: dialectOf(kind),
    url,
    prisma,
    read,
    dataMark,
    changedSince,
    close: () => prisma.$disconnect(),
  };
}

/**
 * Wraps a PostgreSQL connection's `query`: a statement of a read that has been stopped is
 * refused with the reason it was stopped (statement-scope.ts), every other one is logged with
 * `onQuery` and sent.
 */
function guardStatements(connection: pg.PoolClient, onQuery?: (sql: string) => void): void {
  const send = connection.query.bind(connection) as (...args: unknown[]) => unknown;
  (connection as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const reason = stoppedReason();
    if (reason) {
      const callback = args.at(-1);
      if (typeof callback === "function") {
        process.nextTick(() => callback(reason));
        return undefined;
      }
      return Promise.reject(reason);
    }
    const [statement] = args;
    onQuery?.(typeof statement === "string" ? statement : String((statement as { text?: string }).text));
    return send(...args);
  };
}
