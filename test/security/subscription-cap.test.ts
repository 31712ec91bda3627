import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";

/** One principal cannot hold more than the configured number of live streams. */

const subscription = JSON.stringify({ query: "subscription { scoreChanged { criterionKey } }" });

describe("open subscriptions per principal", () => {
  let app: TestApp;
  let viewer: { token: string };
  let other: { token: string };

  beforeAll(async () => {
    app = await createTestApp({ KAM_MAX_SUBSCRIPTIONS: "2" });
    viewer = await app.createUser("VIEWER");
    other = await app.createUser("VIEWER");
  });
  afterAll(() => app.close());

  /** Opens a stream and returns what its first event said, and how to close it. */
  async function open(token: string) {
    const abort = new AbortController();
    const response = await app.yoga.fetch("http://kam.test/graphql", {
      method: "POST",
      signal: abort.signal,
      headers: {
        accept: "text/event-stream",
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
      },
      body: subscription,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    // A live stream starts with a keep-alive comment or its first event; a refused one with the error.
    const first = new TextDecoder().decode((await reader.read()).value);
    return {
      first,
      close: async () => {
        abort.abort();
        await reader.cancel().catch(() => undefined);
        // Let the server see the stream end.
        await new Promise((resolve) => setTimeout(resolve, 50));
      },
    };
  }

  it("refuses the one past the cap with TOO_MANY_SUBSCRIPTIONS, counts per principal, frees a place on close", async () => {
    const a = await open(viewer.token);
    const b = await open(viewer.token);
    expect(a.first).not.toContain("errors");
    expect(b.first).not.toContain("errors");
    const c = await open(viewer.token);
    expect(c.first).toContain("TOO_MANY_SUBSCRIPTIONS");
    await c.close();
    const elsewhere = await open(other.token);
    expect(elsewhere.first).not.toContain("errors");
    await a.close();
    const again = await open(viewer.token);
    expect(again.first).not.toContain("errors");
    for (const stream of [b, elsewhere, again]) await stream.close();
  });
});
