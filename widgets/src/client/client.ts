/**
 * The one way the widgets reach KAM: a GraphQL POST (fetch, JSON) to the public `/graphql`
 * endpoint with a bearer token, exactly as a partner's front-end would. No cookies, no credentials
 * mode. (A plain POST needs no library; the bundle's size budget is better spent on widgets.)
 *
 * Tokens come from a `token` string or a `tokenProvider` (a function returning a promise of a
 * token, for intranets whose identity provider refreshes tokens). The provider is asked again
 * shortly before a signed token expires, once on a 401, and when the page becomes visible again.
 */
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

  constructor(settings: ClientSettings) {
    this.endpoint = settings.endpoint;
    this.token = settings.token ?? null;
    this.provider = settings.tokenProvider ?? null;
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

  /** The token for a long-lived stream, from the provider when there is one. @internal */
  tokenForStream(): Promise<string | null> {
    return this.currentToken();
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
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        credentials: "omit",
        signal,
        headers: {
          accept: "application/json",
          "content-type": "application/json",
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ query: document, variables }),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      throw new KamRequestError("OFFLINE", "The server cannot be reached.");
    }
    let body: GraphQLResponse<Result> | null = null;
    try {
      body = (await response.json()) as GraphQLResponse<Result>;
    } catch {
      // Not JSON (a proxy's error page): the status says what happened.
    }
    if (response.ok && body?.data && !body.errors?.length) return body.data;
    throw asKamError(response.status, body?.errors?.[0]);
  }
}

interface GraphQLResponse<Result> {
  data?: Result | null;
  errors?: { message: string; extensions?: { code?: unknown } }[];
}

function asKamError(status: number, first: { message: string; extensions?: { code?: unknown } } | undefined) {
  const code = first?.extensions?.code;
  if (status === 401 || code === "UNAUTHENTICATED") {
    return new KamRequestError("SESSION_EXPIRED", first?.message ?? "The session has expired.");
  }
  if (typeof code === "string") return new KamRequestError(code, first?.message ?? code);
  return new KamRequestError("SERVER_ERROR", first?.message ?? `The server answered ${status}.`);
}
/**
 * Reads a subscription over server-sent events (the API's `text/event-stream` answer to a POST),
 * calling `onData` for each result until the signal aborts. A dropped stream is opened again
 * after a pause that grows to 30 s; `onReconnect` is told, so the caller can re-read what it may
 * have missed.
 */
export async function subscribe<Result, Variables extends Record<string, unknown>>(
  client: KamClient,
  document: Operation<Result, Variables>,
  variables: Variables,
  signal: AbortSignal,
  onData: (data: Result) => void,
  onReconnect: () => void = () => undefined,
): Promise<void> {
  let pause = 1_000;
  let first = true;
  while (!signal.aborted) {
    try {
      const token = await client.tokenForStream();
      const response = await fetch(client.endpoint, {
        method: "POST",
        signal,
        credentials: "omit",
        headers: {
          accept: "text/event-stream",
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query: document, variables }),
      });
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      if (!first) onReconnect();
      first = false;
      pause = 1_000;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message
            .split("\n")
            .filter((line) => line.startsWith("data:"))
            .map((line) => line.slice(5).trim())
            .join("\n");
          if (data) {
            const payload = JSON.parse(data) as { data?: Result };
            if (payload.data) onData(payload.data);
          }
          end = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // Dropped or refused: try again below, unless the caller is gone.
    }
    if (signal.aborted) return;
    first = false;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(30_000, pause * 2);
  }
}
