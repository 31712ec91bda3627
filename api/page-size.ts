/**
 * Page sizes of every connection (every field paged with first/last and after/before). A `first`
 * or `last` above the maximum is refused before anything runs, with the field and the maximum
 * named (as GitHub's API does), instead of being cut silently to a page the caller did not ask for.
 * A list argument (`nodes(ids:)`, class filters) holds at most a page of items too.
 */
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getArgumentValues,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import { ErrorCode } from "./errors.ts";

export const maxPageSize = 100;
export const defaultPageSize = 20;

/** The connection fields of an operation whose `first` or `last` exceeds the maximum. */
export function pageSizeErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError[] {
  const typeInfo = new TypeInfo(schema);
  const errors: GraphQLError[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      [Kind.FIELD](node) {
        const field = typeInfo.getFieldDef();
        if (!field || field.args.length === 0) return;
        let values: Record<string, unknown>;
        try {
          values = getArgumentValues(field, node, variables ?? {});
        } catch (error) {
          if (error instanceof GraphQLError) return; // A bad value is the executor's to report.
          throw error;
        }
        const label = node.alias ? `${node.alias.value} (${node.name.value})` : node.name.value;
        // A list argument (nodes(ids:), class filters) holds at most a page of items.
        for (const [name, value] of Object.entries(values)) {
          if (Array.isArray(value) && value.length > maxPageSize) {
            errors.push(
              new GraphQLError(
                `${label}: ${name} has ${value.length} items, above the maximum of ${maxPageSize}.`,
                {
                  nodes: [node],
                  extensions: { code: ErrorCode.VALIDATION_FAILED, argument: name, maximum: maxPageSize },
                },
              ),
            );
          }
        }
        // A paged field: a connection, or a result union around one (scoreMatrix).
        const names = new Set(field.args.map((arg) => arg.name));
        if (!(names.has("first") || names.has("last")) || !names.has("after")) return;
        for (const name of ["first", "last"] as const) {
          const size = values[name];
          if (typeof size === "number" && size > maxPageSize) {
            errors.push(
              new GraphQLError(
                `${label}: ${name} is ${size}, above the maximum of ${maxPageSize} per page; ask for at most ${maxPageSize} and page on with after/before.`,
                {
                  nodes: [node],
                  extensions: { code: ErrorCode.VALIDATION_FAILED, argument: name, maximum: maxPageSize },
                },
              ),
            );
          }
        }
      },
    }),
  );
  return errors;
}

/** Refuses an operation whose pages are too large, before it executes. */
export function usePageSizeLimit(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = pageSizeErrors(args.schema, args.document, args.variableValues);
      if (errors.length) setResultAndStopExecution({ errors });
    },
  };
}
