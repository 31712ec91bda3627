import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";

/** The HTTP layer, over a real socket: headers, CORS origins, slow clients. */

describe("HTTP hardening", () => {
  let app: TestApp;
  let origin: string;
  let token: string;

  beforeAll(async () => {
    app = await createTestApp({ KAM_CORS_ORIGINS: "https://intranet.example.com,https://wiki.example.com" });
    token = (await app.createUser("VIEWER")).token;
    await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  const query = (headers: Record<string, string> = {}) =>
    fetch(`${origin}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify({ query: "{ viewer { id } }" }),
    });

  it("marks every answer: no sniffing, no referrer, API answers never stored, pages under a policy", async () => {
    const api = await query();
    expect(api.status).toBe(200);
    expect(api.headers.get("x-content-type-options")).toBe("nosniff");
    expect(api.headers.get("referrer-policy")).toBe("no-referrer");
    expect(api.headers.get("cache-control")).toBe("no-store");
    const graphiql = await fetch(`${origin}/graphql`, { headers: { accept: "text/html" } });
    expect(graphiql.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(graphiql.headers.get("content-security-policy")).toMatch(/connect-src 'self'/);
    const landing = await fetch(`${origin}/`);
    expect(landing.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
    const health = await fetch(`${origin}/health`);
    expect(health.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("allows only the configured origins: another origin and Origin: null get no CORS headers", async () => {
    for (const allowed of ["https://intranet.example.com", "https://wiki.example.com"]) {
      const response = await query({ origin: allowed });
      expect(response.headers.get("access-control-allow-origin")).toBe(allowed);
    }
    for (const refused of ["null", "https://evil.example.com"]) {
      const response = await query({ origin: refused });
      expect(response.headers.get("access-control-allow-origin"), refused).toBeNull();
      const preflight = await fetch(`${origin}/graphql`, {
        method: "OPTIONS",
        headers: { origin: refused, "access-control-request-method": "POST" },
      });
      expect(preflight.headers.get("access-control-allow-origin"), refused).toBeNull();
    }
  });

  it("sets short header and request timeouts, and serves others while a client dawdles", async () => {
    expect(app.server.headersTimeout).toBe(10_000);
    expect(app.server.requestTimeout).toBe(30_000);
    // A client that never finishes its headers holds no one else up.
    const socket = connect((app.server.address() as AddressInfo).port, "127.0.0.1");
    socket.write("POST /graphql HTTP/1.1\r\nHost: kam\r\n");
    const health = await fetch(`${origin}/health`);
    expect(health.status).toBe(200);
    socket.destroy();
  });
});
