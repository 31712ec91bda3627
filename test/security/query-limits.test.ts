import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundedDocumentCache, defaultQueryLimits } from "../../api/query-limits.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

/**
 * Hostile operations, each refused with QUERY_LIMIT_EXCEEDED (the limit, its maximum, what was
 * found) before any resolver runs: the only statement a refused request sends is the look-up of
 * its caller.
 */

const limits = defaultQueryLimits;

describe("limits on what one operation may ask", () => {
  let app: TestApp;
  let viewer: { id: string; token: string };
  let accountId: string;

  beforeAll(async () => {
    app = await createTestApp();
    viewer = await app.createUser("VIEWER");
    const admin = await app.createUser("ADMIN");
    const created = await app.gql(
      `mutation { createAccount(input: { name: "Hostile Test SA" }) { ... on MutationCreateAccountSuccess { data { id } } } }`,
      {},
      admin.token,
    );
    accountId = created.data.createAccount.data.id;
  });
  afterAll(() => app.close());

  /** Runs an operation as the viewer and returns the response with the statements it sent. */
  async function refused(query: string, variables: Record<string, unknown> = {}) {
    app.statements.length = 0;
    const response = await app.gql(query, variables, viewer.token);
    return { response, statements: [...app.statements] };
  }

  function expectRefusal(
    { response, statements }: Awaited<ReturnType<typeof refused>>,
    limit: string,
    maximum: number,
  ) {
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_LIMIT_EXCEEDED", limit, maximum });
    expect(response.errors?.[0]?.message).toContain(`${limit} limit of ${maximum}`);
    // The caller's look-up, nothing else.
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/User/);
    return response.errors?.[0]?.extensions as { found: number | null };
  }

  it("answers an ordinary widget query", async () => {
    const response = await app.gql(
      `query($id: ID!) { account(id: $id) { ... on Account { name contacts { name reportsTo { name } } competitors { name } events(first: 5) { edges { node { title } } } } } }`,
      { id: accountId },
      viewer.token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.account.name).toBe("Hostile Test SA");
  });

  it("refuses a document with too many tokens while parsing it", async () => {
    const fields = Array.from({ length: limits.maxTokens }, (_, index) => `f${index}: __typename`).join(" ");
    const found = expectRefusal(await refused(`{ ${fields} }`), "tokens", limits.maxTokens);
    expect(found.found).toBeNull();
  });

  it("refuses too many aliases, naming how many it found", async () => {
    const aliases = Array.from({ length: limits.maxAliases + 1 }, (_, index) => `v${index}: viewer { id }`);
    const found = expectRefusal(await refused(`{ ${aliases.join(" ")} }`), "aliases", limits.maxAliases);
    expect(found.found).toBe(limits.maxAliases + 1);
  });

  it("refuses too many directives", async () => {
    const directives = Array.from({ length: limits.maxDirectives + 1 }, () => "@include(if: true)").join(" ");
    expectRefusal(await refused(`{ viewer { id ${directives} } }`), "directives", limits.maxDirectives);
  });

  it("refuses a query nested deeper than the maximum, fragments flattened", async () => {
    let selection = "id";
    for (let level = 0; level < limits.maxDepth; level += 1)
      selection = `... on Contact { account { id } reportsTo { ${selection} } }`;
    const query = `query($id: ID!) { node(id: $id) { ${selection} } }`;
    expectRefusal(await refused(query, { id: accountId }), "depth", limits.maxDepth);
  });

  it("prices lists by their size: the account → contacts → account round trip is refused", async () => {
    // Six round trips deep: each contacts list multiplies what is under it by 10.
    let selection = "name";
    for (let level = 0; level < 5; level += 1) selection = `contacts { account { ${selection} } }`;
    const query = `query($id: ID!) { account(id: $id) { ... on Account { ${selection} } } }`;
    const found = expectRefusal(await refused(query, { id: accountId }), "cost", limits.maxCost);
    expect(found.found).toBeGreaterThan(limits.maxCost);
  });

  it("prices a page by the size asked for, variables included, on each execution", async () => {
    const query = `query($n: Int) { accounts(first: $n) { edges { node { name contacts { name title account { contacts { name title } competitors { name } } } } } } }`;
    const small = await app.gql(query, { n: 2 }, viewer.token);
    expect(small.errors).toBeUndefined();
    // The same document, already validated and cached, with a larger page.
    const found = expectRefusal(await refused(query, { n: 100 }), "cost", limits.maxCost);
    expect(found.found).toBeGreaterThan(limits.maxCost);
  });

  it("gives the analyses their own price: twenty score matrices in one request are refused", async () => {
    const aliases = Array.from(
      { length: 20 },
      (_, index) => `m${index}: scoreMatrix(first: 100) { __typename }`,
    );
    expectRefusal(await refused(`{ ${aliases.join(" ")} }`), "cost", limits.maxCost);
  });

  it("runs no resolver of a refused operation: the personal-data log stays empty", async () => {
    const before = await app.db.prisma.personalDataAccess.count();
    const birthdays = Array.from(
      { length: 10 },
      (_, index) => `b${index}: upcomingBirthdays(days: 365) { date contact { name } }`,
    );
    const matrices = Array.from(
      { length: 15 },
      (_, index) => `m${index}: scoreMatrix(first: 100) { __typename }`,
    );
    const result = await refused(`{ ${[...birthdays, ...matrices].join(" ")} }`);
    expectRefusal(result, "cost", limits.maxCost);
    expect(await app.db.prisma.personalDataAccess.count()).toBe(before);
  });

  it("takes its limits from the configuration", async () => {
    const strict = await createTestApp({ KAM_MAX_QUERY_ALIASES: "2", KAM_MAX_QUERY_COST: "150" });
    try {
      const user = await strict.createUser("VIEWER");
      const aliases = await strict.gql(
        `{ a: viewer { id } b: viewer { id } c: viewer { id } }`,
        {},
        user.token,
      );
      expect(aliases.errors?.[0]?.extensions).toMatchObject({ limit: "aliases", maximum: 2, found: 3 });
      const page = await strict.gql(`{ accounts(first: 50) { edges { node { id name } } } }`, {}, user.token);
      expect(page.errors?.[0]?.extensions).toMatchObject({ limit: "cost", maximum: 150 });
      const smaller = await strict.gql(
        `{ accounts(first: 20) { edges { node { id name } } } }`,
        {},
        user.token,
      );
      expect(smaller.errors).toBeUndefined();
    } finally {
      await strict.close();
    }
  });
});

describe("work before authentication", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ KAM_MAX_BODY_BYTES: "200000" });
  });
  afterAll(() => app.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    app.yoga.fetch("http://kam.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });

  it("answers an anonymous request 401 without parsing its document", async () => {
    // Not even valid GraphQL: a parser would say so; the answer is about the credentials.
    const aliases = Array.from({ length: 5_000 }, (_, index) => `a${index}: viewer { id }`).join(" ");
    app.statements.length = 0;
    const response = await post(JSON.stringify({ query: `{ ${aliases} !!! ` }));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="kam"');
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions).toEqual({ code: "UNAUTHENTICATED", reason: "MISSING" });
    expect(app.statements).toEqual([]);
  });

  it("answers a forged token 401 the same way, before parsing", async () => {
    const response = await post(JSON.stringify({ query: "{ not graphql" }), {
      authorization: "Bearer forged",
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).errors[0].extensions.reason).toBe("INVALID");
  });

  it("refuses a body above the maximum unread, whoever sends it", async () => {
    const user = await app.createUser("VIEWER");
    const query = `{ viewer { id } } ${"#".repeat(250_000)}`;
    for (const headers of [{}, { authorization: `Bearer ${user.token}` }] as Record<string, string>[]) {
      const response = await post(JSON.stringify({ query }), headers);
      expect(response.status).toBe(413);
      const body = (await response.json()) as any;
      expect(body.errors[0].extensions).toMatchObject({
        code: "QUERY_LIMIT_EXCEEDED",
        limit: "bodyBytes",
        maximum: 200_000,
      });
    }
  });

  it("cuts off a body sent without a length at the same maximum", async () => {
    const user = await app.createUser("VIEWER");
    const chunk = new TextEncoder().encode(
      `{ "query": "{ viewer { id } }", "variables": { "pad": "${"#".repeat(50_000)}`,
    );
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Five 50 kB chunks: 250 kB in all, over the 200 kB maximum, with no Content-Length.
        if (sent === 5) {
          controller.enqueue(new TextEncoder().encode('" } }'));
          controller.close();
          return;
        }
        sent += 1;
        controller.enqueue(sent === 1 ? chunk : new TextEncoder().encode("#".repeat(50_000)));
      },
    });
    const response = await app.yoga.fetch("http://kam.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${user.token}` },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it("lets a page of an allowed origin read the 401, so a widget can say the session expired", async () => {
    const cors = await createTestApp({ KAM_CORS_ORIGINS: "https://intranet.example.com" });
    try {
      const response = await cors.yoga.fetch("http://kam.test/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://intranet.example.com" },
        body: JSON.stringify({ query: "{ viewer { id } }" }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("access-control-allow-origin")).toBe("https://intranet.example.com");
    } finally {
      await cors.close();
    }
  });

  it("keeps GraphiQL's page open without a token", async () => {
    const page = await app.yoga.fetch("http://kam.test/graphql", { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
  });
});

describe("what runs an operation", () => {
  let app: TestApp;
  let admin: { token: string };

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.createUser("ADMIN");
  });
  afterAll(() => app.close());

  it("runs only JSON bodies: form and multipart posts are refused unread and change nothing", async () => {
    const mutation = `mutation { createAccount(input: { name: "Cross-site" }) { __typename } }`;
    const form = new URLSearchParams({ query: mutation });
    const multipart = new FormData();
    multipart.set("operations", JSON.stringify({ query: mutation }));
    for (const body of [form, multipart, mutation]) {
      const response = await app.yoga.fetch("http://kam.test/graphql", {
        method: "POST",
        headers: {
          authorization: `Bearer ${admin.token}`,
          ...(typeof body === "string" ? { "content-type": "text/plain" } : {}),
        },
        body,
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe("VALIDATION_FAILED");
    }
    expect(await app.db.prisma.account.count({ where: { name: "Cross-site" } })).toBe(0);
    const json = await app.gql(mutation, {}, admin.token);
    expect(json.data.createAccount.__typename).toBe("MutationCreateAccountSuccess");
  });
});

describe("the parsed-document cache", () => {
  it("is bounded by the size of what it holds, not only by the count", () => {
    const cache = boundedDocumentCache<object>(1000);
    for (let index = 0; index < 50; index += 1) cache.set(`${index}:${"x".repeat(97)}`, {});
    expect(cache.calculatedSize).toBeLessThanOrEqual(1000);
    expect(cache.size).toBe(10);
    expect(cache.get(`49:${"x".repeat(97)}`)).toBeDefined();
    expect(cache.get(`0:${"x".repeat(98)}`)).toBeUndefined();
  });
});
