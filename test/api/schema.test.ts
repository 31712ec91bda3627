import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { migratedSchemaPath } from "../../prisma/new-migration.ts";
import { postgresSchemaPath, postgresVariant, sourceSchemaPath } from "../../prisma/variants.ts";
import { printedSchema, schemaFilePath } from "../../schema/print.ts";

describe("committed artefacts are current", () => {
  it("schema/schema.graphql matches the schema the builder prints (npm run generate)", () => {
    expect(readFileSync(schemaFilePath, "utf8")).toBe(printedSchema());
  });

  it("the PostgreSQL Prisma schema is the variant of the source schema (npm run db:variants)", () => {
    expect(readFileSync(postgresSchemaPath, "utf8")).toBe(
      postgresVariant(readFileSync(sourceSchemaPath, "utf8")),
    );
  });

  it("the last migration was written for the current source schema (npm run db:migration -- <name>)", () => {
    expect(readFileSync(migratedSchemaPath, "utf8")).toBe(readFileSync(sourceSchemaPath, "utf8"));
  });

  it("the variant differs from the source only in provider and output", () => {
    const variant = readFileSync(postgresSchemaPath, "utf8");
    expect(variant).toContain('provider = "postgresql"');
    expect(variant).not.toContain('provider = "sqlite"');
    expect(variant).toContain('output       = "../generated/postgres"');
    const models = (text: string) => text.slice(text.indexOf("enum Role"));
    expect(models(variant)).toBe(models(readFileSync(sourceSchemaPath, "utf8")));
  });
});
