/**
 * What one operation may ask for: tokens (bounded while parsing, so a huge document costs little),
 * depth, aliases, directives, and a cost where a list costs its page size times what is asked of
 * each item and the analyses carry their own price. Each refusal is a QUERY_LIMIT_EXCEEDED error
 * naming the limit, its maximum and what was found, and comes before any resolver runs.
 *
 * The limits come from graphql-armor (tokens, depth, aliases, directives) and the cost from
 * Pothos' complexity plugin, whose per-field prices live next to the fields in the schema.
 */
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesPlugin } from "@escape.tech/graphql-armor-max-directives";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { complexityFromQuery } from "@pothos/plugin-complexity";
import { type DocumentNode, GraphQLError, getOperationAST, Kind } from "graphql";
import type { Plugin } from "graphql-yoga";
import { LRUCache } from "lru-cache";
import { ErrorCode } from "./errors.ts";

export interface QueryLimits {
  /** Lexical tokens in the document. */
  maxTokens: number;
  /** Nested fields, fragments flattened; introspection is not counted. */
  maxDepth: number;
  /** Aliased fields in one operation. */
  maxAliases: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** The operation's cost (see the README: a page costs its size times each item's fields). */
  maxCost: number;
}

export const defaultQueryLimits: QueryLimits = {
  maxTokens: 3000,
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 20,
  maxCost: 25_000,
};

type LimitName = "tokens" | "depth" | "aliases" | "directives" | "cost";

/** The refusal every limit gives, with what a client needs to shrink its operation. */
export function queryLimitError(limit: LimitName, maximum: number, found: number | null): GraphQLError {
  const measured = found === null ? "" : `: ${found}`;
  return new GraphQLError(
    `The operation exceeds the ${limit} limit of ${maximum}${measured}. Ask for less per request, or page.`,
    { extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED, limit, maximum, found, http: { status: 400 } } },
  );
}

/**
 * graphql-armor throws its own error; this makes it ours, in place (the same object is thrown),
 * reading the count it found from its message.
 */
function retype(limit: LimitName, maximum: number) {
  return (_context: unknown, error: GraphQLError) => {
    const found = /found (\d+)/.exec(error.message)?.[1];
    const typed = queryLimitError(limit, maximum, found === undefined ? null : Number(found));
    error.message = typed.message;
    Object.assign(error.extensions as Record<string, unknown>, typed.extensions);
  };
}

export function useQueryLimits(limits: QueryLimits): Plugin[] {
  return [
    maxTokensPlugin({ n: limits.maxTokens, onReject: [retype("tokens", limits.maxTokens)] }) as Plugin,
    maxDepthPlugin({
      n: limits.maxDepth,
      flattenFragments: true,
      onReject: [retype("depth", limits.maxDepth)],
    }) as Plugin,
    maxAliasesPlugin({ n: limits.maxAliases, onReject: [retype("aliases", limits.maxAliases)] }) as Plugin,
    maxDirectivesPlugin({
      n: limits.maxDirectives,
      onReject: [retype("directives", limits.maxDirectives)],
    }) as Plugin,
    useCostLimit(limits.maxCost),
  ];
}

/**
 * The cost depends on the variables (`first: $n`), so it is measured for each execution, not in
 * the validation that is cached per document.
 */
function useCostLimit(maxCost: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = selectedOperation(args.document, args.operationName);
      if (!operation) return;
      let cost: number;
      try {
        cost = complexityFromQuery(operation, {
          schema: args.schema,
          ctx: args.contextValue as object,
          variables: (args.variableValues ?? {}) as Record<string, unknown>,
        }).complexity;
      } catch {
        // Variables that do not coerce: the executor reports them.
        return;
      }
      if (cost > maxCost) setResultAndStopExecution({ errors: [queryLimitError("cost", maxCost, cost)] });
    },
  };
}

/** The operation that will run, with the fragments it may use. */
function selectedOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
): DocumentNode | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  return {
    ...document,
    definitions: [
      operation,
      ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION),
    ],
  };
}

/**
 * The parsed documents kept for reuse, bounded by their size and not only by their number: a
 * cache of a thousand large documents would hold hundreds of megabytes. Measured in source
 * characters (a parsed document is a few dozen times larger in memory).
 */
export function boundedDocumentCache<T extends object>(maxSourceCharacters = 2_000_000) {
  return new LRUCache<string, T>({
    maxSize: maxSourceCharacters,
    sizeCalculation: (_value, key) => Math.max(1, key.length),
  });
}
