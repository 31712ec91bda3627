import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";

/** A read past its time limit stops with REQUEST_TIMEOUT; a mutation runs to its end. */

describe("the time limit of a read", () => {
  let app: TestApp;
  let admin: { token: string };

  beforeAll(async () => {
    // One millisecond: every read that reaches the database is over it.
    app = await createTestApp({ KAM_QUERY_TIMEOUT_MS: "1" });
    admin = await app.createUser("ADMIN");
    for (let index = 0; index < 30; index += 1) {
      const account = await app.db.prisma.account.create({
        data: { name: `Slow ${index}`, sortName: `slow ${index}` },
      });
      await app.db.prisma.contact.createMany({
        data: Array.from({ length: 5 }, (_, contact) => ({
          accountId: account.id,
          name: `Person ${index}.${contact}`,
          decisionRole: "USER" as const,
          influence: 2,
          attitude: "NEUTRAL" as const,
        })),
      });
    }
  });
  afterAll(() => app.close());

  it("stops a read that runs too long, with a typed error, and sends no more statements", async () => {
    app.statements.length = 0;
    const response = await app.gql(
      `{ accounts(first: 30) { edges { node { name contacts { name account { name contacts { name } } } } } } }`,
      {},
      admin.token,
    );
    const error = response.errors?.find((entry) => entry.extensions?.code === "REQUEST_TIMEOUT");
    expect(error?.extensions).toMatchObject({ code: "REQUEST_TIMEOUT", limitMs: 1 });
    expect(error?.message).toMatch(/longer than 1 ms/);
    const sent = app.statements.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.statements.length).toBe(sent);
  });

  it("lets a mutation finish", async () => {
    const response = await app.gql(
      `mutation { createAccount(input: { name: "Written in time" }) { __typename } }`,
      {},
      admin.token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.createAccount.__typename).toBe("MutationCreateAccountSuccess");
    expect(await app.db.prisma.account.count({ where: { name: "Written in time" } })).toBe(1);
  });
});

describe("a request whose client has gone", () => {
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    app = await createTestApp();
    token = (await app.createUser("VIEWER")).token;
  });
  afterAll(() => app.close());

  it("sends no statement past the caller's look-up once the client has hung up", async () => {
    const abort = new AbortController();
    app.statements.length = 0;
    const answered = Promise.resolve(
      app.yoga.fetch("http://kam.test/graphql", {
        method: "POST",
        signal: abort.signal,
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: "{ accounts(first: 100) { totalCount edges { node { name contacts { name } } } } }",
        }),
      }),
    );
    abort.abort();
    await answered.then(
      (response) => response.text(),
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(app.statements.filter((sql) => !/"User"|`User`/.test(sql))).toEqual([]);
  });
});
