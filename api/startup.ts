/**
 * Starting and stopping the server process. A mistake in the settings is found before anything
 * is migrated or served and is told in one line that names the variable and what to do; a stop
 * signal lets open requests finish and ends live subscriptions cleanly.
 */
import { accessSync, closeSync, constants, openSync, readSync, statSync } from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import type { KamApp } from "./app.ts";
import { ConfigError } from "./config.ts";
import { databaseKind, ensureSqliteFolder, sqliteFilePath, withoutPassword } from "./db/adapters.ts";
import { MigrationError } from "./db/migrate.ts";

/** A setting that keeps the server from starting; the message is the whole story, in one line. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

/** How long start-up waits for PostgreSQL to answer. */
export const postgresConnectTimeoutMs = 5_000;

/** Checks that DATABASE_URL points at a database KAM can open, before migrations touch it. */
export async function checkDatabase(url: string, timeoutMs = postgresConnectTimeoutMs): Promise<void> {
  if (databaseKind(url) === "postgres") await checkPostgres(url, timeoutMs);
  else checkSqlite(url);
}

const sqliteHeader = Buffer.from("SQLite format 3\0", "latin1");

function checkSqlite(url: string): void {
  try {
    ensureSqliteFolder(url);
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  const file = sqliteFilePath(url);
  const stats = statSync(file, { throwIfNoEntry: false });
  if (!stats) {
    try {
      accessSync(path.dirname(file), constants.W_OK);
    } catch {
      throw new StartupError(
        `DATABASE_URL=${url}: the folder ${path.dirname(file)} is not writable, so the database cannot be created there; fix its permissions or choose another folder.`,
      );
    }
    return;
  }
  if (stats.isDirectory()) {
    throw new StartupError(
      `DATABASE_URL=${url}: ${file} is a folder; name a database file in it, such as file:${path.join(file, "kam.db")}.`,
    );
  }
  let header = Buffer.alloc(0);
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
    // SQLite takes an empty file for a new database.
    if (stats.size > 0) {
      const fd = openSync(file, "r");
      try {
        header = Buffer.alloc(sqliteHeader.length);
        readSync(fd, header, 0, header.length, 0);
      } finally {
        closeSync(fd);
      }
    }
  } catch {
    throw new StartupError(`DATABASE_URL=${url}: ${file} cannot be read and written; fix its permissions.`);
  }
  if (stats.size > 0 && !header.equals(sqliteHeader)) {
    throw new StartupError(
      `DATABASE_URL=${url}: ${file} is not a SQLite database; point DATABASE_URL at a KAM database, or at a file that does not exist yet to start a new one.`,
    );
  }
}

async function checkPostgres(url: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // A connection that fails later reports here too; the rejected connect() already tells why.
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new StartupError(
      postgresProblem(url, error as Error & { code?: string }, {
        host: client.host,
        port: client.port,
        user: client.user ?? "",
        database: client.database ?? "",
        timeoutMs,
      }),
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** What a failed PostgreSQL connection means for the operator, in one line. */
export function postgresProblem(
  url: string,
  error: Error & { code?: string },
  target: { host: string; port: number; user: string; database: string; timeoutMs: number },
): string {
  const setting = `DATABASE_URL=${withoutPassword(url)}`;
  const at = `${target.host}:${target.port}`;
  switch (error.code) {
    case "ECONNREFUSED":
      return `${setting}: nothing accepts connections at ${at}; start PostgreSQL there, or correct the host and port.`;
    case "ENOTFOUND":
    case "EAI_NONAME":
      return `${setting}: the host ${target.host} is unknown; correct the host name.`;
    case "EAI_AGAIN":
      return `${setting}: the host ${target.host} cannot be looked up right now (no answer from DNS); check the name and the network.`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${setting}: ${at} cannot be reached (${error.code}); check the host, the port and any firewall in between.`;
    case "28P01":
      return `${setting}: PostgreSQL refused the password of user ${target.user}; correct the user name or the password.`;
    case "28000":
      return `${setting}: PostgreSQL does not let user ${target.user} in (${error.message}); create the role, correct the user name, or allow it in pg_hba.conf.`;
    case "3D000":
      return `${setting}: the database ${target.database} does not exist on ${at}; create it (createdb ${target.database}) or correct its name.`;
  }
  if (/timeout/i.test(error.message)) {
    return `${setting}: no answer from ${at} within ${target.timeoutMs / 1000} s; check the host, the port and any firewall in between.`;
  }
  if (/terminated unexpectedly/i.test(error.message)) {
    return `${setting}: ${at} closed the connection before PostgreSQL answered; check that PostgreSQL listens on that port.`;
  }
  return `${setting}: cannot connect to PostgreSQL (${error.message.split("\n")[0]}).`;
}

/** What a failed listen means, in one line naming PORT or HOST; other errors are returned as they are. */
export function listenProblem(error: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (error.code) {
    case "EADDRINUSE":
      return new StartupError(
        `PORT=${port}: the port is already in use; stop the other server, or set PORT to a free port.`,
      );
    case "EACCES":
      return new StartupError(
        `PORT=${port}: not allowed to listen on this port (ports below 1024 need privileges); set PORT to 1024 or above.`,
      );
    case "ENOTFOUND":
    case "EAI_NONAME":
    case "EAI_AGAIN":
      return new StartupError(
        `HOST=${host}: the name cannot be resolved; set HOST to an address of this machine, such as 0.0.0.0 (every interface) or 127.0.0.1 (this machine only).`,
      );
    case "EADDRNOTAVAIL":
    case "EAFNOSUPPORT":
      return new StartupError(
        `HOST=${host}: this machine has no such address; set HOST to one of its addresses, 0.0.0.0 (every interface) or 127.0.0.1 (this machine only).`,
      );
    default:
      return error;
  }
}

/** Listens on PORT and HOST, or rejects with a StartupError that names the one at fault. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(listenProblem(error, port, host));
    server.once("error", failed);
    server.listen(port, host, () => {
      server.off("error", failed);
      resolve();
    });
  });
}

/**
 * Tries PORT and HOST before the slow part of start-up (migrations, demo data), so a taken port
 * or a wrong host is told within a second, not after the seed. `listen` still checks for real.
 */
export async function checkListen(port: number, host: string): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error: NodeJS.ErrnoException) => reject(listenProblem(error, port, host)));
    probe.listen({ port, host, exclusive: true }, () => resolve());
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** Whether to show stack traces and the tools' whole output: KAM_DEBUG=1. */
export const debugging = () => ["1", "true", "yes"].includes(process.env.KAM_DEBUG ?? "");

/**
 * What to print when start-up fails: the message of a known mistake, or the first line of an
 * unexpected error with a pointer to the details. KAM_DEBUG=1 adds the stack and tool output.
 */
export function failureReport(error: unknown, prefix = ""): string {
  const detail = debugging()
    ? `\n${error instanceof MigrationError ? error.detail : error instanceof Error ? error.stack : ""}`
    : "";
  if (error instanceof StartupError || error instanceof ConfigError) return `${prefix}${error.message}`;
  if (error instanceof MigrationError) {
    return `${prefix}${error.message}${detail || " Set KAM_DEBUG=1 to see Prisma's output."}`;
  }
  const message = (error instanceof Error ? error.message : String(error))
    .split("\n")
    .find((line) => line.trim());
  return `${prefix}unexpected error: ${message ?? "no message"}${detail || " (set KAM_DEBUG=1 to see where it happened)"}`;
}

/**
 * SIGTERM and SIGINT stop the server: no new connections, open requests finish, subscriptions
 * end with a complete event, the database closes, exit code 0. Requests still running after
 * `graceMs` are cut off (exit code 1); a second signal stops at once.
 */
export function stopOnSignals(app: KamApp, graceMs = 5_000): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.error(`${signal} again: stopping now.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal}: finishing open requests and closing …`);
    const force = setTimeout(() => {
      console.error(`Requests still open after ${graceMs / 1000} s: cutting them off.`);
      process.exit(1);
    }, graceMs);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(failureReport(error, "Could not close cleanly: "));
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
