import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sirv from "sirv";
import { demoToken, fromLoopback } from "./auth/demo-token.ts";
import type { Database } from "./db/index.ts";
import type { KamEvents } from "./events.ts";
import type { KamYoga } from "./yoga.ts";

const widgetsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "widgets", "dist");

/** What this server is, with links to what it serves; the widget demo once the bundle is built. */
function landingPage(widgetsBuilt: boolean): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>KAM — key account management</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1d2433}code{background:#eef1f6;padding:.1em .3em;border-radius:3px}</style>
</head>
<body>
<h1>KAM</h1>
<p>The key-account-management API: accounts and their dossiers, the sales ledger, ABC-XYZ segments,
portfolio analyses, and scoring that chooses the key accounts.</p>
<ul>
<li><a href="/graphql">GraphiQL</a> — explore and query the GraphQL API (send <code>Authorization: Bearer &lt;token&gt;</code>).</li>
${widgetsBuilt ? '<li><a href="/widgets/demo/">Widget demo</a> — the web components on an intranet-like page.</li>\n' : ""}<li><a href="/health">Health</a> — server, database and live-event status.</li>
</ul>
<p>Get a token: <code>npm run kam -- token --email you@example.com</code> (with the demo data: <code>admin@demo.kam</code>).</p>
</body>
</html>`;
}

/**
 * The bundle under its plain name is revalidated on every load (its ETag), so a page always gets
 * the current widgets; the copy named by version and hash, and the language files (named by their
 * content), never change and are cached for a year.
 * Any origin may load them: module scripts are fetched with CORS, and they hold nothing private.
 */
function widgetHeaders(response: ServerResponse, pathname: string): void {
  response.setHeader("access-control-allow-origin", "*");
  response.setHeader(
    "cache-control",
    /^\/(kam-widgets\.[^/]+|locales\/[a-z]+)-[0-9a-f]{10}\.js$/.test(pathname)
      ? "public, max-age=31536000, immutable"
      : "no-cache",
  );
}

/** How long /health waits for the database before it calls it unreachable. */
const databaseHealthTimeoutMs = 2_000;

export async function databaseHealth(db: Database): Promise<{ status: "ok" | "error"; latencyMs: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), databaseHealthTimeoutMs);
  });
  try {
    await Promise.race([db.prisma.$queryRawUnsafe("SELECT 1"), timeout]);
    return { status: "ok", latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { status: "error", latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The server's state for load balancers and people. Without its database the server cannot
 * serve: 503, status "error". Without Redis it serves everything but live events across
 * instances: 200, status "degraded".
 */
export async function healthReport(db: Database, events: Pick<KamEvents, "transport" | "status">) {
  const database = await databaseHealth(db);
  const eventsStatus = events.status();
  const status = database.status !== "ok" ? "error" : eventsStatus !== "ok" ? "degraded" : "ok";
  return {
    httpStatus: database.status === "ok" ? 200 : 503,
    body: {
      status,
      database: { kind: db.kind, ...database },
      events: { transport: events.transport, status: eventsStatus },
    },
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  response.end(JSON.stringify(body));
}

/**
 * Content security policies of the pages the server sends. GraphiQL's page inlines its code and
 * runs its editor in workers made from blobs; the widget demo inlines its wiring script. Nothing
 * is loaded from another origin, and no page may be framed.
 */
const pagePolicies = {
  graphiql:
    "default-src 'self'; script-src 'self' 'unsafe-inline' blob:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  demo: "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  other:
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

/** Headers every response carries; answers of the API are never stored by a cache. */
function securityHeaders(response: ServerResponse, pathname: string) {
  response.setHeader("x-content-type-options", "nosniff");
  response.setHeader("referrer-policy", "no-referrer");
  if (pathname === "/graphql") {
    response.setHeader("cache-control", "no-store");
    response.setHeader("content-security-policy", pagePolicies.graphiql);
  } else if (pathname.startsWith("/widgets/demo")) {
    response.setHeader("content-security-policy", pagePolicies.demo);
  } else if (!pathname.startsWith("/widgets/")) {
    response.setHeader("content-security-policy", pagePolicies.other);
  }
}

/** Slow clients may not hold a connection: the headers within 10 s, the whole request within 30 s. */
const headersTimeoutMs = 10_000;
const requestTimeoutMs = 30_000;

export interface ServerOptions {
  /** Demo mode: the widget demo may fetch a token for the demo admin (from this machine only). */
  demoTokenSecret: Uint8Array | null;
}

export function createKamServer(
  db: Database,
  yoga: KamYoga,
  events: KamEvents,
  options: ServerOptions = { demoTokenSecret: null },
): Server {
  const widgetsBuilt = existsSync(widgetsDir);
  const landing = landingPage(widgetsBuilt);
  const widgets = widgetsBuilt
    ? sirv(widgetsDir, { dev: false, etag: true, gzip: true, brotli: true, setHeaders: widgetHeaders })
    : (_request: IncomingMessage, _response: ServerResponse, next: () => void) => next();

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (!server.listening) {
      // Stopping: answer what is still in flight, then let its connection go at once rather
      // than after the keep-alive timeout.
      response.setHeader("connection", "close");
    }
    response.once("finish", () => {
      if (!server.listening) setImmediate(() => server.closeIdleConnections());
    });
    const url = new URL(request.url ?? "/", "http://localhost");
    securityHeaders(response, url.pathname);
    if (url.pathname === "/graphql") {
      void yoga(request, response);
      return;
    }
    if (url.pathname === "/health") {
      void healthReport(db, events).then(({ httpStatus, body }) => sendJson(response, httpStatus, body));
      return;
    }
    if (url.pathname === "/widgets/demo/token" && request.method === "GET") {
      const secret = options.demoTokenSecret;
      if (!secret || !fromLoopback(request.socket.remoteAddress)) {
        sendJson(response, 404, { error: "not found" });
        return;
      }
      void demoToken(db, secret).then(
        (found) =>
          found ? sendJson(response, 200, found) : sendJson(response, 404, { error: "no demo data" }),
        () => sendJson(response, 503, { error: "the database did not answer" }),
      );
      return;
    }
    if (url.pathname === "/widgets" || url.pathname.startsWith("/widgets/")) {
      request.url = url.pathname.slice("/widgets".length) + url.search || "/";
      widgets(request, response, () => sendJson(response, 404, { error: "not found in the widget bundle" }));
      return;
    }
    if (url.pathname === "/" && (request.method === "GET" || request.method === "HEAD")) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(landing);
      return;
    }
    sendJson(response, 404, { error: "not found" });
  });
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = requestTimeoutMs;
  return server;
}

/**
 * Stops accepting connections and resolves once every open request has been answered. Idle
 * keep-alive connections are closed at once, and busy ones as soon as their response is sent.
 */
export function stopServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
