import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

/**
 * One answer for what the caller may not see: node(id) and nodes(ids:) give the same null, with
 * no error, for a real record of a type the caller cannot read as for a missing one. Type by type.
 */

describe("hidden records", () => {
  let app: TestApp;
  let tokens: Record<string, string>;
  const real: Record<string, string> = {};

  beforeAll(async () => {
    app = await createTestApp();
    const admin = await app.createUser("ADMIN");
    tokens = {
      admin: admin.token,
      manager: (await app.createUser("MANAGER")).token,
      viewer: (await app.createUser("VIEWER")).token,
      "read key": (await app.createKey(["read"])).secret,
      "import key": (await app.createKey(["import"])).secret,
    };
    const key = await app.createKey(["read"], "a key to find");
    const created = await app.gql(
      `mutation { createAccount(input: { name: "Hidden SA" }) { ... on MutationCreateAccountSuccess { data { id } } } }`,
      {},
      admin.token,
    );
    real.Account = created.data.createAccount.data.id;
    real.ApiKey = globalId("ApiKey", key.id);
    const audit = await app.db.prisma.auditEntry.findFirstOrThrow();
    real.AuditEntry = globalId("AuditEntry", audit.id);
    real.User = globalId("User", admin.id);
  });
  afterAll(() => app.close());

  const read = async (token: string, id: string) => {
    const response = await app.gql(
      `query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }`,
      { id },
      token,
    );
    return { data: response.data, errors: response.errors ?? [] };
  };

  /** Who may read each type, by the README's table. */
  const readers: Record<string, string[]> = {
    Account: ["admin", "manager", "viewer", "read key"],
    User: ["admin", "manager", "viewer", "read key"],
    ApiKey: ["admin"],
    AuditEntry: ["admin"],
  };

  for (const [typename, allowed] of Object.entries(readers)) {
    it(`${typename}: readers get it; everyone else gets the same null for a real and a missing ID`, async () => {
      const missing = globalId(typename, "no-such-record");
      for (const [who, token] of Object.entries(tokens)) {
        const found = await read(token, real[typename] as string);
        const absent = await read(token, missing);
        expect(absent, `${who} missing ${typename}`).toEqual({
          data: { node: null, nodes: [null] },
          errors: [],
        });
        if (allowed.includes(who)) {
          expect(found.data.node?.id, `${who} reads ${typename}`).toBe(real[typename]);
        } else {
          expect(found, `${who} real ${typename}`).toEqual(absent);
        }
      }
    });
  }

  it("gives a writer without rights the same refusal for a real and a missing account", async () => {
    const update = (id: string) =>
      app.gql(
        `mutation($id: ID!) { updateAccount(input: { id: $id, version: 1, name: "x" }) { __typename ... on Error { code } } }`,
        { id },
        tokens["import key"],
      );
    const onReal = await update(real.Account as string);
    const onMissing = await update(globalId("Account", "no-such-record"));
    expect(onReal.data.updateAccount).toEqual(onMissing.data.updateAccount);
    expect(onReal.data.updateAccount.code).toBe("FORBIDDEN");
  });
});
