import { gzipSync } from "node:zlib";
import { useGraphQlJit } from "@envelop/graphql-jit";
import { type DocumentNode, GraphQLError, getOperationAST, getVariableValues } from "graphql";
import {
  createYoga,
  type GraphiQLOptions,
  maskError,
  type Plugin,
  type YogaServerInstance,
} from "graphql-yoga";
import type { Context } from "../schema/context.ts";
import { schema } from "../schema/index.ts";
import { authenticateRequests } from "./authenticate-request.ts";
import type { Clock } from "./clock.ts";
import type { Database } from "./db/index.ts";
import { demoAdminEmail } from "./demo.ts";
import { KamError } from "./errors.ts";
import type { KamEvents } from "./events.ts";
import { usePageSizeLimit } from "./page-size.ts";
import { boundedDocumentCache, type QueryLimits, useQueryLimits } from "./query-limits.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { PersonalDataReadLog } from "./services/personal-data.ts";
import { useSubscriptionCap } from "./subscription-cap.ts";
import { useWellFormedText } from "./text-input.ts";
import { useTimeLimit } from "./time-limit.ts";

export interface YogaOptions {
  db: Database;
  tokenSecret: Uint8Array;
  corsOrigins: string[];
  graphiql: boolean;
  /** Demo mode (generated token secret): GraphiQL's header hint names the demo admin. */
  demo: boolean;
  events: KamEvents;
  clock: Clock;
  limits: QueryLimits & { maxBodyBytes: number; queryTimeoutMs: number; maxSubscriptions: number };
  rateLimiter: RateLimiter;
}

export type KamYoga = YogaServerInstance<Record<string, unknown>, Context>;

/**
 * GraphiQL with its code, styles, fonts and editor workers inlined in the page, so it works on a
 * network without internet access. The 9 MB bundle is loaded on the first visit, not at start-up,
 * and the page is built once: its options never change.
 */
function offlineGraphiQL(): (options: GraphiQLOptions) => Promise<string> {
  let page: Promise<string> | undefined;
  return (options) => {
    page ??= import("@graphql-yoga/render-graphiql").then(({ renderGraphiQL }) => renderGraphiQL(options));
    return page;
  };
}

/**
 * Each parsed operation is compiled to JavaScript once (graphql-jit) and run compiled after.
 * Its variables are coerced first as the standard executor does (input field defaults filled
 * in); variables that do not fit are left to the standard executor, which refuses them with its
 * messages and status 400 before anything runs. Subscriptions keep the standard executor.
 */
function useCompiledExecution(): Plugin {
  const { onExecute: compiled } = useGraphQlJit() as Plugin;
  return {
    onExecute(payload) {
      const { args } = payload;
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation || !compiled) return;
      const variables = getVariableValues(
        args.schema,
        operation.variableDefinitions ?? [],
        args.variableValues ?? {},
      );
      if (variables.errors) return;
      (args as { variableValues: unknown }).variableValues = variables.coerced;
      return compiled(payload);
    },
  };
}

/**
 * GraphiQL's page (about 9 MB of inlined code) goes out gzipped to browsers that accept it, about
 * a fifth of the size; it is compressed once, as it never changes. API responses are left as they
 * are: they are small, and live-event streams must not wait in a compressor.
 */
function useCompressedGraphiQL(): Plugin {
  let compressed: { page: string; body: Buffer } | undefined;
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (!response.headers.get("content-type")?.startsWith("text/html")) return;
      if (!/(^|[\s,])gzip\b/.test(request.headers.get("accept-encoding") ?? "")) return;
      const page = await response.text();
      if (compressed?.page !== page) compressed = { page, body: gzipSync(page) };
      const headers = new fetchAPI.Headers(response.headers);
      headers.set("content-encoding", "gzip");
      headers.set("vary", "accept-encoding");
      headers.delete("content-length");
      // The server's own Response sends a Buffer as it is (node:http writes it in one go).
      setResponse(
        new fetchAPI.Response(compressed.body as unknown as BodyInit, { status: response.status, headers }),
      );
    },
  };
}

/**
 * CORS for the configured origins only: a request from any other origin — `Origin: null` from a
 * sandboxed frame or a file included — gets no CORS headers at all, so its page cannot read the
 * answer.
 */
function corsOption(origins: string[]) {
  if (origins.length === 0) return false;
  const options = {
    credentials: false,
    methods: ["GET", "POST", "OPTIONS"],
    allowedHeaders: ["Authorization", "Content-Type", "Accept"],
    maxAge: 600,
  };
  if (origins.includes("*")) return { ...options, origin: "*" };
  return (request: Request) => {
    const origin = request.headers.get("origin");
    return origin && origins.includes(origin) ? { ...options, origin } : false;
  };
}

export function createKamYoga(options: YogaOptions): KamYoga {
  const authentication = authenticateRequests({
    db: options.db,
    tokenSecret: options.tokenSecret,
    maxBodyBytes: options.limits.maxBodyBytes,
    rateLimiter: options.rateLimiter,
  });
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    cors: corsOption(options.corsOrigins),
    graphiql: options.graphiql
      ? {
          title: "KAM GraphiQL",
          headers: JSON.stringify(
            {
              Authorization: `Bearer <token from: npm run kam -- token --email ${options.demo ? demoAdminEmail : "you@example.com"}>`,
            },
            null,
            2,
          ),
        }
      : false,
    renderGraphiQL: offlineGraphiQL(),
    // A body sent without a length (chunked) is cut off at the same maximum while it is read.
    maxRequestBodySize: options.limits.maxBodyBytes,
    parserAndValidationCache: {
      documentCache: boundedDocumentCache<DocumentNode>(),
      errorCache: boundedDocumentCache<object>(),
    },
    plugins: [
      authentication.plugin,
      ...useQueryLimits(options.limits),
      usePageSizeLimit(),
      useWellFormedText(),
      useCompiledExecution(),
      useTimeLimit(options.limits.queryTimeoutMs),
      useSubscriptionCap(options.limits.maxSubscriptions),
      useCompressedGraphiQL(),
    ],
    context: ({ request }) => {
      // Every operation that gets here was authenticated before its body was read
      // (authenticateRequests answers 401 otherwise).
      const principal = authentication.principalOf(request);
      if (!principal) throw new Error("An operation reached execution without an authenticated caller.");
      return {
        db: options.db,
        principal,
        personalDataReads: new PersonalDataReadLog(options.db.prisma, options.db.dialect, principal),
        requestCache: new Map(),
        events: options.events,
        clock: options.clock,
      };
    },
    maskedErrors: {
      // Expected failures keep their message and code; anything else is masked.
      maskError: (error, message, isDev) => {
        const graphqlError = error instanceof GraphQLError ? error : undefined;
        const original = graphqlError ? graphqlError.originalError : error;
        if (original instanceof KamError) {
          return new GraphQLError(original.message, {
            nodes: graphqlError?.nodes,
            path: graphqlError?.path,
            extensions: { code: original.code },
          });
        }
        return maskError(error, message, isDev);
      },
    },
  });
}
