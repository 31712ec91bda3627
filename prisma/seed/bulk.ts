/**
 * Bulk inserts for the seeds: multi-row INSERT statements with the values written as SQL literals.
 *
 * Prisma's createMany costs about 25 µs per value with the TypeScript query compiler (some 3,000
 * sales lines a second, measured), bound parameters of a raw statement about 6 µs; literals in the
 * statement text cost well under 2 µs. The values are the seed's own (numbers, dates, booleans and
 * strings with quotes doubled), never user input. Dates are written the way Prisma stores them on
 * each database, so that Prisma reads and compares them as it does its own.
 */
import type { DatabaseKind, DbClient } from "../../api/db/index.ts";

/** The database the statements are written for, as `openDatabase` names it. */
export type Dialect = DatabaseKind;
export type SqlValue = string | number | boolean | Date | null;

export function sqlLiteral(value: SqlValue, dialect: Dialect): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === "boolean")
    return dialect === "postgres" ? (value ? "TRUE" : "FALSE") : value ? "1" : "0";
  if (value instanceof Date) {
    const time = value.getTime();
    const cache = dateLiterals[dialect];
    const known = cache.get(time);
    if (known !== undefined) return known;
    const iso = value.toISOString();
    // SQLite: Prisma's text format; PostgreSQL: TIMESTAMP(3) without time zone, in UTC.
    const literal =
      dialect === "postgres" ? `'${iso.slice(0, 23).replace("T", " ")}'` : `'${iso.replace("Z", "+00:00")}'`;
    if (cache.size > 100_000) cache.clear();
    cache.set(time, literal);
    return literal;
  }
  return value.includes("'") ? `'${value.replaceAll("'", "''")}'` : `'${value}'`;
}

/** Seeds repeat a few thousand dates over millions of rows: their literals are kept. */
const dateLiterals: Record<Dialect, Map<number, string>> = { sqlite: new Map(), postgres: new Map() };

/**
 * Inserts rows into a table, `chunk` rows per statement. Runs on whatever client it is given (a
 * transaction's included); `columns` name the row's properties and the table's columns alike.
 */
export async function insertRows<T extends object>(
  prisma: Pick<DbClient, "$executeRawUnsafe">,
  dialect: Dialect,
  table: string,
  columns: readonly (keyof T & string)[],
  rows: readonly T[],
  chunk = 2_000,
): Promise<void> {
  const head = `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES `;
  for (let start = 0; start < rows.length; start += chunk) {
    const parts: string[] = [];
    const end = Math.min(rows.length, start + chunk);
    for (let index = start; index < end; index += 1) {
      const row = rows[index] as Record<string, SqlValue>;
      parts.push(`(${columns.map((column) => sqlLiteral(row[column] ?? null, dialect)).join(",")})`);
    }
    await prisma.$executeRawUnsafe(head + parts.join(","));
  }
}

export { salesLineColumns } from "../../api/services/sales-ledger.ts";

export const monthlySalesColumns = ["accountId", "month", "revenue", "margin", "lineCount"] as const;
