import SchemaBuilder from "@pothos/core";
import ComplexityPlugin from "@pothos/plugin-complexity";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import { GraphQLError, Kind } from "graphql";
import { canReadAccounts, isAdmin, mayReadNodeType } from "../api/auth/permissions.ts";
import { ForbiddenError, InvalidIdError } from "../api/errors.ts";
import { decodeGlobalId, encodeGlobalId } from "../api/global-id.ts";
import { defaultPageSize, maxPageSize } from "../api/page-size.ts";
import type PrismaTypes from "../prisma/generated/pothos-types.ts";
import { getDatamodel } from "../prisma/generated/pothos-types.ts";
import { fieldCost } from "./complexity.ts";
import type { Context } from "./context.ts";
import InputPathsPlugin from "./input-paths.ts";

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { admin: boolean; readAccounts: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    Decimal: { Input: number | string; Output: number };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  // Errors first so that it turns scope-auth failures into typed results; input paths last, next
  // to the resolver, so that the errors it turns into results already name their argument.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ComplexityPlugin, InputPathsPlugin],
  defaultFieldNullability: false,
  // Prices only: the limit is applied per execution, with the variables (api/query-limits.ts).
  complexity: { fieldComplexity: fieldCost },
  errors: { defaultTypes: [] },
  scopeAuth: {
    authScopes: (context) => ({
      admin: isAdmin(context.principal),
      readAccounts: canReadAccounts(context.principal),
    }),
    unauthorizedError: (_parent, context) =>
      new ForbiddenError(
        context.principal.kind === "apiKey"
          ? "This API key lacks the scope for this."
          : "Only admins can do this.",
      ),
  },
  prisma: {
    client: (context) => context.db.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === "production" ? null : "warn",
    maxConnectionSize: maxPageSize,
    defaultConnectionSize: defaultPageSize,
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    edgesFieldOptions: { nullable: false },
    firstArgOptions: {
      description: `The first items, at most ${maxPageSize} (more is refused with VALIDATION_FAILED naming the maximum); ${defaultPageSize} when neither first nor last is given.`,
    },
    lastArgOptions: {
      description: `The last items, at most ${maxPageSize} (more is refused with VALIDATION_FAILED naming the maximum).`,
    },
    nodeFieldOptions: { nullable: false },
    encodeGlobalID: (typename, id) => encodeGlobalId(typename, String(id)),
    decodeGlobalID: (globalID, context) => {
      const decoded = decodeGlobalId(globalID);
      if (!decoded) throw new InvalidIdError(globalID, "global");
      // A record of a type the caller may not read is answered as if it did not exist, so
      // node(id) tells nothing about which IDs are real.
      return mayReadNodeType((context as Context).principal, decoded.typename)
        ? decoded
        : { typename: decoded.typename, id: "" };
    },
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

builder.scalarType("DateTime", {
  description: "An instant, as an ISO 8601 string in UTC.",
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  // A Date is a value already parsed (variables are coerced before the compiled executor runs).
  parseValue: (value) => {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
    const date = typeof value === "string" ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError("DateTime must be an ISO 8601 string.");
    return date;
  },
  parseLiteral: (ast) => {
    const date = ast.kind === Kind.STRING ? new Date(ast.value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError("DateTime must be an ISO 8601 string.");
    return date;
  },
});

builder.scalarType("Decimal", {
  description:
    'A decimal number: a JSON number, or a string such as "1234.50". Imports check each value and report the line of a bad one.',
  serialize: (value) => Number(value),
  // Checked by the service, line by line, so that one bad value names its line.
  parseValue: (value) => value as number | string,
  parseLiteral: (ast) =>
    ast.kind === Kind.INT || ast.kind === Kind.FLOAT
      ? Number(ast.value)
      : ast.kind === Kind.STRING
        ? ast.value
        : Number.NaN,
});

builder.scalarType("JSON", {
  description: "A JSON value.",
  serialize: (value) => value,
  parseValue: (value) => value,
});
