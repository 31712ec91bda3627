/**
 * The stop signal of the read a statement is sent for. A read stopped by its time limit, or whose
 * client has gone, answers at once; a statement it had started to prepare (the Prisma client
 * compiles a query before it sends it), or a batch a request loader sends after, is then not sent
 * at all. The time limit runs each read in its scope (api/time-limit.ts); the drivers check it as
 * they send: each PostgreSQL connection (index.ts), the SQLite connection's statements
 * (adapters.ts for the client's, statements.ts for `db.read`).
 */
import { AsyncLocalStorage } from "node:async_hooks";

export const statementScope = new AsyncLocalStorage<AbortSignal>();

/** The reason the current read was stopped, or null while it may go on. */
export function stoppedReason(): unknown {
  const signal = statementScope.getStore();
  return signal?.aborted ? (signal.reason ?? new Error("The read was stopped.")) : null;
}

/** Throws the reason the current read was stopped, if it was. */
export function assertNotStopped(): void {
  const reason = stoppedReason();
  if (reason) throw reason;
}
