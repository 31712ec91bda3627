/**
 * Many rows bound as one parameter: a JSON array of arrays, read back by the database as a table.
 *
 * Binding each value of a multi-row statement costs several microseconds per value in Prisma (a
 * batch of 5,000 sales lines has 60,000); one JSON parameter costs well under one per value, and
 * needs no chunking under the databases' parameter limits. Values are never written into the
 * statement's text. SQLite reads the array with `json_each`, PostgreSQL with `json_array_elements`;
 * both turn a JSON number back into the same double (checked over 200,000 values).
 */
import { Prisma } from "../../prisma/generated/sqlite/client.ts";
import type { DatabaseKind } from "./adapters.ts";

export type JsonColumnType = "text" | "float" | "integer" | "timestamp";

type JsonCell = string | number | Date | null;

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

/** One instant as a statement value that compares with Prisma's stored DateTime columns. */
export function timestampValue(kind: DatabaseKind, date: Date): Prisma.Sql {
  return kind === "postgres"
    ? Prisma.sql`CAST(${dateCell(date)} AS TIMESTAMP(3))`
    : Prisma.sql`${dateCell(date)}`;
}

const postgresTypes: Record<JsonColumnType, string> = {
  text: "TEXT",
  float: "DOUBLE PRECISION",
  integer: "INTEGER",
  timestamp: "TIMESTAMP(3)",
};

/**
 * `SELECT <one column per type> FROM <rows>`: rows as a table, to INSERT from, join or compare
 * with. Columns are named c0, c1, … The statement ends with `WHERE true`, which SQLite needs
 * before an `ON CONFLICT` clause that follows a SELECT.
 */
export function selectJsonRows(
  kind: DatabaseKind,
  types: readonly JsonColumnType[],
  rows: readonly (readonly JsonCell[])[],
): Prisma.Sql {
  const json = JSON.stringify(
    rows.map((row) => row.map((cell) => (cell instanceof Date ? dateCell(cell) : cell))),
  );
  const columns = types.map((type, index) =>
    kind === "postgres"
      ? `CAST(r.value ->> ${index} AS ${postgresTypes[type]}) AS c${index}`
      : `r.value ->> ${index} AS c${index}`,
  );
  const source =
    kind === "postgres"
      ? Prisma.sql`json_array_elements(CAST(${json} AS JSON)) AS r(value)`
      : Prisma.sql`json_each(${json}) AS r`;
  return Prisma.sql`SELECT ${Prisma.raw(columns.join(", "))} FROM ${source} WHERE true`;
}
