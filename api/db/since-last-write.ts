/**
 * Results that stay true until the data they are read from changes. A portfolio analysis
 * (segments, rankings, client types) reads every account; computed once, it is answered again
 * while none of the tables it reads may have changed since (the database's data marks, index.ts)
 * and, for a result that depends on the time, until the instant it says it stops being true. A
 * write to one of its tables, by this process or another, or a rolled-back transaction, makes it
 * stale: the next request computes it again. Kept per database, the most recent first, up to a
 * bound.
 */
import { LRUCache } from "lru-cache";
import type { Database, DataMark } from "./index.ts";

/** How many results are kept per database. */
export const rememberedResults = 200;

interface Remembered {
  mark: DataMark;
  value: unknown;
  /** Epoch milliseconds of the "now" it was computed for (a clock set back computes it again). */
  since: number;
  /** Epoch milliseconds from which the result is no longer true, whatever the data. */
  until: number;
}

const remembered = new WeakMap<Database, LRUCache<string, Remembered>>();

function resultsOf(db: Database): LRUCache<string, Remembered> {
  let results = remembered.get(db);
  if (!results) {
    results = new LRUCache({ max: rememberedResults });
    remembered.set(db, results);
  }
  return results;
}

/** What a remembered result is read from, and until when it holds whatever the data. */
export interface Dependencies<T> {
  /** Every table its statements read. */
  tables: readonly string[];
  /** The instant from which it no longer holds (given the result), null for never. */
  until?: (value: T) => Promise<Date | null> | Date | null;
}

/**
 * The result of `compute` under `key` (everything the result depends on besides its tables and
 * `now`), computed again only when one of the tables may have changed or `until` has passed.
 * Results are shared between requests: callers must not change them.
 */
export async function sinceLastWrite<T>(
  db: Database,
  key: string,
  now: Date,
  { tables, until }: Dependencies<T>,
  compute: () => Promise<T>,
): Promise<T> {
  const results = resultsOf(db);
  const mark = await db.dataMark();
  const known = results.get(key);
  const at = now.getTime();
  if (known && known.since <= at && at < known.until && !db.changedSince(known.mark, mark, tables)) {
    return known.value as T;
  }
  const value = await compute();
  const end = until ? await until(value) : null;
  results.set(key, { mark, value, since: at, until: end ? end.getTime() : Number.POSITIVE_INFINITY });
  return value;
}

/** Forgets every remembered result of the database: the next read computes each again (to measure what one costs). */
export function forgetRemembered(db: Database): void {
  remembered.get(db)?.clear();
}
