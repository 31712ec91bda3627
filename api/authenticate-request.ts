/**
 * Who is asking, settled before anything costly: an operation from a caller without valid
 * credentials gets its 401 before its body is read, parsed or validated, and a body larger than
 * the maximum, or of another type than JSON, is refused unread. GraphiQL's page, CORS preflights and /health never get here.
 */
import type { Plugin } from "graphql-yoga";
import { authenticate } from "./auth/authenticate.ts";
import { type Principal, principalKey } from "./auth/principal.ts";
import type { Database } from "./db/index.ts";
import { ErrorCode, UnauthenticatedError } from "./errors.ts";
import type { RateLimiter } from "./rate-limit.ts";

const jsonBodyTypes = new Set([
  "application/json",
  "application/graphql-response+json",
  "application/graphql+json",
]);

export interface RequestAuthentication {
  plugin: Plugin;
  /** The principal the plugin found for this request. */
  principalOf(request: Request): Principal | undefined;
}

function errorResponse(
  fetchAPI: { Response: typeof Response },
  status: number,
  error: { message: string; extensions: Record<string, unknown> },
  headers: Record<string, string> = {},
): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [error] }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

export function authenticateRequests(options: {
  db: Database;
  tokenSecret: Uint8Array;
  maxBodyBytes: number;
  rateLimiter: RateLimiter;
}): RequestAuthentication {
  const principals = new WeakMap<Request, Principal>();
  const plugin: Plugin = {
    async onRequestParse({ request, endResponse, fetchAPI }) {
      const length = Number(request.headers.get("content-length") ?? 0);
      if (length > options.maxBodyBytes) {
        endResponse(
          errorResponse(fetchAPI, 413, {
            message: `The request body is ${length} bytes, above the maximum of ${options.maxBodyBytes}.`,
            extensions: {
              code: ErrorCode.QUERY_LIMIT_EXCEEDED,
              limit: "bodyBytes",
              maximum: options.maxBodyBytes,
              found: length,
            },
          }),
        );
        return;
      }
      // Only JSON bodies run operations: a form or multipart post, which any page may send
      // cross-site without a preflight, is refused unread.
      const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
      if (request.method === "POST" && !jsonBodyTypes.has(type ?? "")) {
        endResponse(
          errorResponse(fetchAPI, 415, {
            message: `Send the operation as application/json, not ${type || "a body without a type"}.`,
            extensions: { code: ErrorCode.VALIDATION_FAILED, contentType: type ?? "" },
          }),
        );
        return;
      }
      let principal: Principal;
      try {
        principal = await authenticate(options.db, options.tokenSecret, request.headers.get("authorization"));
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        endResponse(
          errorResponse(
            fetchAPI,
            401,
            { message: error.message, extensions: { code: error.code, reason: error.reason } },
            { "www-authenticate": 'Bearer realm="kam"' },
          ),
        );
        return;
      }
      const retryAfter = await options.rateLimiter.consume(principalKey(principal));
      if (retryAfter !== null) {
        endResponse(
          errorResponse(
            fetchAPI,
            429,
            {
              message: `Too many requests from this ${principal.kind === "user" ? "user" : "API key"}; retry in ${retryAfter} s.`,
              extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: retryAfter },
            },
            { "retry-after": String(retryAfter) },
          ),
        );
        return;
      }
      principals.set(request, principal);
    },
  };
  return { plugin, principalOf: (request) => principals.get(request) };
}
