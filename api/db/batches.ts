/**
 * The rows of one batched read handed back per key, in the order of the keys asked for: what a
 * request loader (schema/context.ts) expects of its batch.
 */

/** The row of each key, null where there is none. */
export function inOrderOf<T>(
  rows: readonly T[],
  keyOf: (row: T) => string,
  keys: readonly string[],
): (T | null)[] {
  const byKey = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => byKey.get(key) ?? null);
}

/** The rows of each key, in the rows' order (an empty list for a key without rows). */
export function groupedBy<T>(
  rows: readonly T[],
  keyOf: (row: T) => string | null,
  keys: readonly string[],
): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) groups.get(key)?.push(row);
  }
  return keys.map((key) => groups.get(key) ?? []);
}
