/** Prints the GraphQL schema to schema/schema.graphql, the contract integrators build against. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { printSchema } from "graphql";
import { schema } from "./index.ts";

export const schemaFilePath = path.join(path.dirname(fileURLToPath(import.meta.url)), "schema.graphql");

export function printedSchema(): string {
  return `${printSchema(schema)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  writeFileSync(schemaFilePath, printedSchema());
  console.log(`wrote ${path.relative(process.cwd(), schemaFilePath)}`);
}
