/**
 * Rows of a model read with `db.read` (statements.ts), given back as the Prisma client gives
 * them: instants as Dates, booleans as booleans, JSON parsed. The column types come from the
 * schema's data model, so a statement names its columns once and each row converts the same way
 * on SQLite (text instants, 0/1 booleans, JSON as text) and PostgreSQL.
 */

import { getDatamodel } from "../../prisma/generated/pothos-types.ts";
import { Prisma } from "../../prisma/generated/sqlite/client.ts";
import type { ReadStatement, Row } from "./statements.ts";

export type ModelName = Prisma.ModelName;

type Conversion = (value: unknown) => unknown;

const toDate: Conversion = (value) =>
  value === null || value instanceof Date ? value : new Date(value as string | number);
const toBoolean: Conversion = (value) =>
  value === null || typeof value === "boolean" ? value : Number(value) !== 0;
const toJson: Conversion = (value) => (typeof value === "string" ? JSON.parse(value) : value);
const toNumber: Conversion = (value) => (value === null || typeof value === "number" ? value : Number(value));

const conversions: Record<string, Conversion> = {
  DateTime: toDate,
  Boolean: toBoolean,
  Json: toJson,
  Int: toNumber,
  Float: toNumber,
};

interface ModelShape {
  /** Every scalar and enum column, in the schema's order. */
  columns: string[];
  converted: [string, Conversion][];
}

const datamodel: Record<string, { fields: readonly { name: string; kind: string; type: string }[] }> =
  getDatamodel().datamodel.models;

const shapes = new Map<string, ModelShape>();

function shapeOf(model: ModelName): ModelShape {
  let shape = shapes.get(model);
  if (!shape) {
    const fields = (datamodel[model]?.fields ?? []).filter(
      (field) => field.kind === "scalar" || field.kind === "enum",
    );
    shape = {
      columns: fields.map((field) => field.name),
      converted: fields.flatMap((field) => {
        const conversion = conversions[field.type];
        return conversion ? [[field.name, conversion] as [string, Conversion]] : [];
      }),
    };
    shapes.set(model, shape);
  }
  return shape;
}

/** Every scalar and enum column of a model, in the schema's order. */
export function modelColumnNames(model: ModelName): readonly string[] {
  return shapeOf(model).columns;
}

/** The quoted column list of a model (all its columns unless some are named), `alias.` before each. */
export function modelColumns(model: ModelName, alias?: string, only?: readonly string[]): Prisma.Sql {
  const names = only ?? shapeOf(model).columns;
  const prefix = alias ? `${alias}.` : "";
  return Prisma.raw(names.map((name) => `${prefix}"${name}"`).join(", "));
}

/** Rows read with `modelColumns`, converted in place to the client's types. */
export function asModelRows<T>(model: ModelName, rows: Row[]): T[] {
  const { converted } = shapeOf(model);
  for (const row of rows) {
    for (const [name, convert] of converted) {
      if (name in row) row[name] = convert(row[name]);
    }
  }
  return rows as T[];
}

/**
 * The rows of a model where `where` says, read with `db.read` and converted: all its columns
 * unless some are named; `clauses` follow the condition (ORDER BY, LIMIT).
 */
export async function readModelRows<T>(
  db: { read: ReadStatement },
  model: ModelName,
  where: Prisma.Sql,
  { columns, clauses }: { columns?: readonly string[]; clauses?: Prisma.Sql } = {},
): Promise<T[]> {
  return asModelRows<T>(
    model,
    await db.read(
      Prisma.sql`SELECT ${modelColumns(model, undefined, columns)} FROM ${Prisma.raw(`"${model}"`)} WHERE ${where} ${clauses ?? Prisma.empty}`,
    ),
  );
}
