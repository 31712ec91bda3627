/**
 * The one way the widgets reach KAM: graphql-request against the public `/graphql` endpoint with
 * a bearer token, exactly as a partner's front-end would. No cookies, no credentials mode.
 *
 * Tokens come from a `token` string or a `tokenProvider` (a function returning a promise of a
 * token, for intranets whose identity provider refreshes tokens). The provider is asked again
 * shortly before a signed token expires, once on a 401, and when the page becomes visible again.
 */
import { ClientError, GraphQLClient } from "graphql-request";
import type { Operation } from "./operation.ts";

export type TokenProvider = () => Promise<string>;

export interface ClientSettings {
  endpoint: string;
  token?: string | null;
  tokenProvider?: TokenProvider | null;
}

/** Why a request failed, in codes a host page can act on (the `kam-error` event carries them). */
export type KamErrorCode =
  | "SESSION_EXPIRED"
  | "OFFLINE"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "VALIDATION_FAILED"
  | "SERVER_ERROR"
  | "NO_TOKEN"
  | (string & {});

export class KamRequestError extends Error {
  constructor(
    readonly code: KamErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "KamRequestError";
  }
}

/** Seconds before a signed token's expiry when the provider is asked for a new one. */
const refreshMarginSeconds = 60;

/** The `exp` of a signed (JWT) token in seconds, or null for an API key or an unreadable token. */
export function tokenExpiry(token: string): number | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    return typeof json.exp === "number" ? json.exp : null;
  } catch {
    return null;
  }
}

export class KamClient {
  readonly endpoint: string;
  private token: string | null;
  private readonly provider: TokenProvider | null;
  private pending: Promise<string> | null = null;
  private readonly client: GraphQLClient;

  constructor(settings: ClientSettings) {
    this.endpoint = settings.endpoint;
    this.token = settings.token ?? null;
    this.provider = settings.tokenProvider ?? null;
    this.client = new GraphQLClient(settings.endpoint, {
      credentials: "omit",
      // Operation names are in the documents; nothing needs parsing in the browser.
      excludeOperationName: true,
    });
  }

  /** Forgets a token that is about to expire, so the next request asks the provider. */
  refreshIfExpiring(): void {
    if (!this.provider || !this.token) return;
    const expiry = tokenExpiry(this.token);
    if (expiry !== null && expiry - Date.now() / 1000 < refreshMarginSeconds) this.token = null;
  }

  private async currentToken(force = false): Promise<string | null> {
    if (!this.provider) return this.token;
    if (force) this.token = null;
    this.refreshIfExpiring();
    if (this.token) return this.token;
    this.pending ??= this.provider().finally(() => {
      this.pending = null;
    });
    this.token = await this.pending;
    return this.token;
  }

  async request<Result, Variables extends Record<string, unknown>>(
    document: Operation<Result, Variables>,
    variables?: Variables,
    signal?: AbortSignal,
  ): Promise<Result> {
    try {
      return await this.send(document, variables, signal, await this.currentToken());
    } catch (error) {
      // One retry with a fresh token from the provider after a 401.
      if (this.provider && error instanceof KamRequestError && error.code === "SESSION_EXPIRED") {
        return this.send(document, variables, signal, await this.currentToken(true));
      }
      throw error;
    }
  }

  private async send<Result>(
    document: string,
    variables: Record<string, unknown> | undefined,
    signal: AbortSignal | undefined,
    token: string | null,
  ): Promise<Result> {
    if (!token)
      throw new KamRequestError("NO_TOKEN", "No token: set the token attribute or a tokenProvider.");
    try {
      return await this.client.request<Result>({
        document,
        variables,
        signal,
        requestHeaders: { authorization: `Bearer ${token}` },
      });
    } catch (error) {
      throw asKamError(error);
    }
  }
}

function asKamError(error: unknown): unknown {
  if (error instanceof DOMException && error.name === "AbortError") return error;
  if (error instanceof ClientError) {
    const status = error.response.status;
    const first = error.response.errors?.[0];
    const code = first?.extensions?.code;
    if (status === 401 || code === "UNAUTHENTICATED") {
      return new KamRequestError("SESSION_EXPIRED", first?.message ?? "The session has expired.");
    }
    if (typeof code === "string") return new KamRequestError(code, first?.message ?? code);
    return new KamRequestError("SERVER_ERROR", first?.message ?? `The server answered ${status}.`);
  }
  if (error instanceof TypeError) {
    return new KamRequestError("OFFLINE", "The server cannot be reached.");
  }
  return error;
}
