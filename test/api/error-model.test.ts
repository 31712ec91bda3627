import { type GraphQLEnumType, GraphQLObjectType, GraphQLUnionType } from "graphql";
import { describe, expect, it } from "vitest";
import * as errors from "../../api/errors.ts";
import { schema } from "../../schema/index.ts";

/**
 * The error model: every expected failure is a KamError with a code of ErrorCode, and a client
 * meets it as a typed member of a result union (or as extensions.code where a field has none).
 */

type ErrorClass = new (...args: never[]) => errors.KamError;
const errorClasses: [string, ErrorClass][] = Object.entries(errors as Record<string, unknown>).flatMap(
  ([name, value]) =>
    typeof value === "function" && value.prototype instanceof errors.KamError
      ? [[name, value as ErrorClass]]
      : [],
);

/** Failures of the transport, answered with an HTTP status before any field runs. */
const outsideTheSchema = new Set(["UnauthenticatedError"]);

describe("the error model", () => {
  it("finds the error classes (the test would pass vacuously otherwise)", () => {
    expect(errorClasses.length).toBeGreaterThanOrEqual(10);
  });

  it("gives every KamError a code of ErrorCode, and the schema's ErrorCode enum the same codes", () => {
    const codes = new Set<string>(Object.values(errors.ErrorCode));
    // The code is an instance field: an instance is made with placeholder arguments.
    const codeOf = (Class: ErrorClass): string => {
      const Any = Class as unknown as new (...args: unknown[]) => errors.KamError;
      try {
        return new Any([], [], []).code;
      } catch {
        return new Any("x", "y", "z").code;
      }
    };
    for (const [name, Class] of errorClasses) {
      const code = codeOf(Class);
      expect(codes.has(code), `${name}.code (${code}) is in ErrorCode`).toBe(true);
    }
    const enumType = schema.getType("ErrorCode") as GraphQLEnumType;
    expect(
      enumType
        .getValues()
        .map((value) => value.name)
        .sort(),
    ).toEqual([...codes].sort());
  });

  it("registers every KamError as an object type implementing Error, under its class name", () => {
    const errorInterface = schema.getType("Error");
    for (const [name] of errorClasses) {
      if (outsideTheSchema.has(name)) continue;
      const type = schema.getType(name);
      expect(type, `${name} is a type of the schema`).toBeInstanceOf(GraphQLObjectType);
      expect((type as GraphQLObjectType).getInterfaces()).toContain(errorInterface);
    }
  });

  it("has every member of a result union be the success or an error type of the schema", () => {
    const errorTypes = new Set(errorClasses.map(([name]) => name));
    const unions = Object.values(schema.getTypeMap()).filter(
      (type): type is GraphQLUnionType => type instanceof GraphQLUnionType && type.name.endsWith("Result"),
    );
    expect(unions.length).toBeGreaterThan(20);
    for (const union of unions) {
      const members = union.getTypes().map((type) => type.name);
      // The answer itself (a …Success wrapper, or the object for a query with a direct result)
      // and errors of the model, nothing else.
      const answers = members.filter((member) => !errorTypes.has(member));
      expect(answers, `${union.name} has one answer type besides its errors`).toHaveLength(1);
      expect(members.length, `${union.name} has errors`).toBeGreaterThan(1);
    }
  });
});
