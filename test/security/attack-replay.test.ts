import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";

/**
 * The attacks of the hostile-client report, replayed over a real HTTP server at once: each gets
 * its typed refusal, /health keeps answering meanwhile, the database is unchanged and the memory
 * the process holds stays within a bound.
 */

/** Growth of the heap the attacks may cause: one cached 6 MB document used to cost 340 MB. */
const heapBoundBytes = 200 * 1024 * 1024;

describe("attacks replayed against a real server", () => {
  let app: TestApp;
  let origin: string;
  let viewer: string;

  beforeAll(async () => {
    app = await createTestApp();
    viewer = (await app.createUser("VIEWER")).token;
    await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  const post = (body: string, token?: string) =>
    fetch(`${origin}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));

  /** A document of distinct aliases, about `megabytes` large, different for each `seed`. */
  const aliasFlood = (seed: number, megabytes: number) => {
    const count = Math.floor((megabytes * 1024 * 1024) / 30);
    const fields = Array.from({ length: count }, (_, index) => `a${seed}_${index}: viewer { id }`).join(" ");
    return JSON.stringify({ query: `{ ${fields} }` });
  };

  it("refuses each attack with its typed answer while /health keeps answering, changing nothing", async () => {
    const rowsBefore = await Promise.all([app.db.prisma.account.count(), app.db.prisma.auditEntry.count()]);
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let healthAnswers = 0;
    let healthFailures = 0;
    let attacking = true;
    const health = (async () => {
      while (attacking) {
        const response = await fetch(`${origin}/health`);
        if (response.status === 200) healthAnswers += 1;
        else healthFailures += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const nested = (() => {
      let selection = "name";
      // Four round trips under a page: within the depth limit, far over the cost.
      for (let level = 0; level < 4; level += 1) selection = `contacts { account { ${selection} } }`;
      return JSON.stringify({ query: `{ accounts(first: 100) { edges { node { ${selection} } } } }` });
    })();
    const attacks = [
      // A dozen anonymous 3 MB documents, each different.
      ...Array.from({ length: 12 }, (_, seed) =>
        post(aliasFlood(seed, 3)).then((answer) => ["anonymous", answer] as const),
      ),
      // The same from a viewer: refused while parsing, at the token limit.
      ...Array.from({ length: 4 }, (_, seed) =>
        post(aliasFlood(100 + seed, 3), viewer).then((answer) => ["large", answer] as const),
      ),
      post(nested, viewer).then((answer) => ["nested", answer] as const),
      post(
        JSON.stringify({
          query: `{ ${Array.from({ length: 200 }, (_, i) => `b${i}: upcomingBirthdays { date }`).join(" ")} }`,
        }),
        viewer,
      ).then((answer) => ["birthdays", answer] as const),
    ];
    const answers = await Promise.all(attacks);
    attacking = false;
    await health;

    for (const [kind, answer] of answers) {
      if (kind === "anonymous") {
        expect(answer.status).toBe(401);
        expect(answer.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
      } else {
        // 200 for a client that accepts application/json, as GraphQL over HTTP has it.
        expect([200, 400], kind).toContain(answer.status);
        expect(answer.body.data ?? null, kind).toBeNull();
        expect(answer.body.errors[0].extensions.code, kind).toBe("QUERY_LIMIT_EXCEEDED");
      }
    }
    expect(answers.find(([kind]) => kind === "large")?.[1].body.errors[0].extensions.limit).toBe("tokens");
    expect(answers.find(([kind]) => kind === "nested")?.[1].body.errors[0].extensions.limit).toBe("cost");
    expect(answers.find(([kind]) => kind === "birthdays")?.[1].body.errors[0].extensions.limit).toBe(
      "aliases",
    );
    expect(healthFailures).toBe(0);
    expect(healthAnswers).toBeGreaterThan(0);
    expect(await Promise.all([app.db.prisma.account.count(), app.db.prisma.auditEntry.count()])).toEqual(
      rowsBefore,
    );
    expect(await app.db.prisma.personalDataAccess.count()).toBe(0);
    globalThis.gc?.();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(heapBoundBytes);
  });
});
