/**
 * What every resolver of a request gets: the database, who asks, the request's clock and events,
 * and what the request computes once and shares (results, batched loaders, personal-data reads).
 */
import DataLoader from "dataloader";
import type { ServiceContext } from "../api/services/context.ts";
import type { PersonalDataReadLog } from "../api/services/personal-data.ts";

/** A request's context is the services' context (database, principal, clock, events) and more. */
export interface Context extends ServiceContext {
  /** Records, in one statement per request, whose personal facts were shown. */
  personalDataReads: PersonalDataReadLog;
  /** Results computed once per request and shared by the fields that need them. */
  requestCache: Map<string, unknown>;
}

/** Computes a value once per request. */
export function perRequest<T>(context: Context, key: string, compute: () => Promise<T>): Promise<T> {
  let value = context.requestCache.get(key) as Promise<T> | undefined;
  if (!value) {
    value = compute();
    context.requestCache.set(key, value);
  }
  return value;
}

/**
 * A DataLoader that lives as long as the request: what the fields of one request ask for in the
 * same tick is read in one batch.
 */
export function perRequestLoader<K, V>(
  context: Context,
  key: string,
  batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
): DataLoader<K, V> {
  let loader = context.requestCache.get(key) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(batch);
    context.requestCache.set(key, loader);
  }
  return loader;
}
