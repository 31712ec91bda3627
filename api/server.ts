import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sirv from "sirv";
import type { Database } from "./db/index.ts";
import type { KamYoga } from "./yoga.ts";

const widgetsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "widgets", "dist");

const landingPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>KAM — key account management</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1d2433}code{background:#eef1f6;padding:.1em .3em;border-radius:3px}</style>
</head>
<body>
<h1>KAM</h1>
<p>The key-account-management API: accounts, dossiers, scores, segments and tender pipelines,
and web components any intranet page can embed.</p>
<ul>
<li><a href="/graphql">GraphiQL</a> — explore and query the GraphQL API (send <code>Authorization: Bearer &lt;token&gt;</code>).</li>
<li><a href="/widgets/">Widget demo</a> — the web components.</li>
<li><a href="/health">Health</a> — server and database status.</li>
</ul>
<p>Get a token: <code>npm run kam -- token --email admin@demo.kam</code></p>
</body>
</html>`;

export async function databaseHealth(db: Database): Promise<{ status: "ok" | "error"; latencyMs: number }> {
  const started = performance.now();
  try {
    await db.prisma.$queryRawUnsafe("SELECT 1");
    return { status: "ok", latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { status: "error", latencyMs: Math.round(performance.now() - started) };
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  response.end(JSON.stringify(body));
}

export function createKamServer(db: Database, yoga: KamYoga): Server {
  const widgets = existsSync(widgetsDir)
    ? sirv(widgetsDir, { dev: false, etag: true, gzip: true, brotli: true })
    : (_request: IncomingMessage, _response: ServerResponse, next: () => void) => next();

  return createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/graphql") {
      void yoga(request, response);
      return;
    }
    if (url.pathname === "/health") {
      void databaseHealth(db).then((database) =>
        sendJson(response, database.status === "ok" ? 200 : 503, {
          status: database.status === "ok" ? "ok" : "degraded",
          database: { kind: db.kind, ...database },
        }),
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
      response.end(landingPage);
      return;
    }
    sendJson(response, 404, { error: "not found" });
  });
}
