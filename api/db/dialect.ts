/**
 * The SQL that differs between SQLite and PostgreSQL, in one place. Services write raw SQL only
 * through these fragments, so a statement reads the same on both databases and the differences
 * are listed here once.
 *
 * Many rows bound as one parameter (`jsonRows`): binding each value of a multi-row statement costs
 * several microseconds per value in Prisma (a batch of 5,000 sales lines has 60,000); one JSON
 * parameter costs well under one per value, and needs no chunking under the databases' parameter
 * limits. Values are never written into the statement's text. SQLite reads the array with
 * `json_each`, PostgreSQL with `json_array_elements`; both turn a JSON number back into the same
 * double (checked over 200,000 values).
 */
import { Prisma } from "../../prisma/generated/sqlite/client.ts";
import type { DatabaseKind } from "./adapters.ts";

export type JsonColumnType = "text" | "float" | "integer" | "timestamp";

type JsonCell = string | number | Date | null;

/** A Prisma string filter for "contains this text". */
export type ContainsFilter = { contains: string; mode?: "insensitive" };

export interface Dialect {
  kind: DatabaseKind;
  /**
   * `SELECT … FOR UPDATE` of the rows of `table` with these IDs, in ID order, for a transaction
   * that reads a row's version and then writes; null on SQLite, which runs one write transaction
   * at a time and so never needs the lock.
   */
  lockRows(table: string, ids: readonly string[]): Prisma.Sql | null;
  /**
   * Prisma's "contains, ignoring case": SQLite's LIKE already ignores the case of ASCII letters,
   * PostgreSQL needs ILIKE (Prisma's insensitive mode). The text's % and _ stay wildcards.
   */
  contains(text: string): ContainsFilter;
  /** `column` holds `text` literally (no wildcards), ignoring case: instr on SQLite, strpos on PostgreSQL. */
  holdsText(column: Prisma.Sql, text: string): Prisma.Sql;
  /** `column` as JSON text matches a LIKE `pattern` with `\` as its escape, ignoring case. */
  jsonTextLike(column: Prisma.Sql, pattern: string): Prisma.Sql;
  /** Membership of a text column in a list bound as one parameter (one statement text for any length). */
  inList(column: Prisma.Sql, values: readonly string[]): Prisma.Sql;
  /** Membership in a one-column subquery; PostgreSQL reads an array through the index, not a semi-join. */
  inSubquery(column: Prisma.Sql, subquery: Prisma.Sql): Prisma.Sql;
  /** The floating-point column type. */
  real: Prisma.Sql;
  /** One JSON array per group, of one JSON array per row of `values`. */
  jsonArrayOfArrays(values: readonly Prisma.Sql[]): Prisma.Sql;
  /** One instant as a statement value that compares with Prisma's stored DateTime columns. */
  timestamp(date: Date): Prisma.Sql;
  /**
   * `SELECT <one column per type> FROM <rows>`: rows as a table, to INSERT from, join or compare
   * with. Columns are named c0, c1, … The statement ends with `WHERE true`, which SQLite needs
   * before an `ON CONFLICT` clause that follows a SELECT.
   */
  jsonRows(types: readonly JsonColumnType[], rows: readonly (readonly JsonCell[])[]): Prisma.Sql;
}

/** A date as Prisma stores it: SQLite's text format, or PostgreSQL's TIMESTAMP(3) in UTC. */
function dateCell(date: Date): string {
  const time = date.getTime();
  let text = dateTexts.get(time);
  if (text === undefined) {
    text = date.toISOString().replace("Z", "+00:00");
    if (dateTexts.size > 10_000) dateTexts.clear();
    dateTexts.set(time, text);
  }
  return text;
}

/** Imports repeat a few hundred invoice dates over thousands of lines: their texts are kept. */
const dateTexts = new Map<number, string>();

const jsonText = (rows: readonly (readonly JsonCell[])[]) =>
  JSON.stringify(rows.map((row) => row.map((cell) => (cell instanceof Date ? dateCell(cell) : cell))));

const postgresTypes: Record<JsonColumnType, string> = {
  text: "TEXT",
  float: "DOUBLE PRECISION",
  integer: "INTEGER",
  timestamp: "TIMESTAMP(3)",
};

const joined = (values: readonly Prisma.Sql[]) => Prisma.join(values, ", ");

const sqlite: Dialect = {
  kind: "sqlite",
  lockRows: () => null,
  contains: (text) => ({ contains: text }),
  holdsText: (column, text) => Prisma.sql`instr(lower(${column}), lower(${text})) > 0`,
  jsonTextLike: (column, pattern) => Prisma.sql`${column} LIKE ${pattern} ESCAPE '\\'`,
  inList: (column, values) =>
    Prisma.sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`,
  inSubquery: (column, subquery) => Prisma.sql`${column} IN (${subquery})`,
  real: Prisma.raw("REAL"),
  jsonArrayOfArrays: (values) => Prisma.sql`json_group_array(json_array(${joined(values)}))`,
  timestamp: (date) => Prisma.sql`${dateCell(date)}`,
  jsonRows: (types, rows) =>
    Prisma.sql`SELECT ${Prisma.raw(types.map((_, index) => `r.value ->> ${index} AS c${index}`).join(", "))}
      FROM json_each(${jsonText(rows)}) AS r WHERE true`,
};

const postgres: Dialect = {
  kind: "postgres",
  lockRows: (table, ids) =>
    Prisma.sql`SELECT "id" FROM ${Prisma.raw(`"${table}"`)} WHERE "id" = ANY(${[...ids].sort()}) ORDER BY "id" FOR UPDATE`,
  contains: (text) => ({ contains: text, mode: "insensitive" }),
  holdsText: (column, text) => Prisma.sql`strpos(lower(${column}), lower(${text})) > 0`,
  jsonTextLike: (column, pattern) => Prisma.sql`${column}::text ILIKE ${pattern} ESCAPE '\\'`,
  inList: (column, values) => Prisma.sql`${column} = ANY(${[...values]})`,
  inSubquery: (column, subquery) => Prisma.sql`${column} = ANY(ARRAY(${subquery}))`,
  real: Prisma.raw("DOUBLE PRECISION"),
  jsonArrayOfArrays: (values) => Prisma.sql`json_agg(json_build_array(${joined(values)}))`,
  timestamp: (date) => Prisma.sql`CAST(${dateCell(date)} AS TIMESTAMP(3))`,
  jsonRows: (types, rows) =>
    Prisma.sql`SELECT ${Prisma.raw(
      types
        .map((type, index) => `CAST(r.value ->> ${index} AS ${postgresTypes[type]}) AS c${index}`)
        .join(", "),
    )} FROM json_array_elements(CAST(${jsonText(rows)} AS JSON)) AS r(value) WHERE true`,
};

export function dialectOf(kind: DatabaseKind): Dialect {
  return kind === "postgres" ? postgres : sqlite;
}
