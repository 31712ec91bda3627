import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";

/** Inputs an attacker (or a careless integrator) sends: each a typed error or an exact answer. */

describe("input caps", () => {
  let app: TestApp;
  let admin: { token: string };
  let ids: Record<string, string>;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.createUser("ADMIN");
    ids = {};
    for (const name of ["100% Cotton SA", "Under_Score GmbH", "Plain Trading", "Back\\slash Ltd"]) {
      const created = await app.gql(
        `mutation($name: String!) { createAccount(input: { name: $name }) { ... on MutationCreateAccountSuccess { data { id } } } }`,
        { name },
        admin.token,
      );
      ids[name] = created.data.createAccount.data.id;
    }
  });
  afterAll(() => app.close());

  const search = async (text: string) => {
    const response = await app.gql(
      `query($s: String) { accounts(filter: { search: $s }) { totalCount edges { node { name } } } }`,
      { s: text },
      admin.token,
    );
    expect(response.errors).toBeUndefined();
    return response.data.accounts.edges.map((edge: any) => edge.node.name).sort();
  };

  it("searches for % and _ as themselves, any case, in names and ERP IDs", async () => {
    expect(await search("%")).toEqual(["100% Cotton SA"]);
    expect(await search("0% cot")).toEqual(["100% Cotton SA"]);
    expect(await search("_")).toEqual(["Under_Score GmbH"]);
    expect(await search("R_SC")).toEqual(["Under_Score GmbH"]);
    expect(await search("\\")).toEqual(["Back\\slash Ltd"]);
    expect(await search("trading")).toEqual(["Plain Trading"]);
    expect(await search("%%")).toEqual([]);
  });

  it("refuses a search longer than 200 characters", async () => {
    const response = await app.gql(
      `query($s: String) { accounts(filter: { search: $s }) { totalCount } }`,
      { s: "x".repeat(60_000) },
      admin.token,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
    expect(response.errors?.[0]?.message).toContain("filter.search");
    const justUnder = await app.gql(
      `query($s: String) { accounts(filter: { search: $s }) { totalCount } }`,
      { s: "x".repeat(200) },
      admin.token,
    );
    expect(justUnder.errors).toBeUndefined();
    expect(justUnder.data.accounts.totalCount).toBe(0);
  });

  it("refuses NUL characters and unpaired surrogates anywhere, naming where, and stores nothing", async () => {
    const before = await app.db.prisma.account.count();
    for (const name of ["Nul\u0000Byte", "Lone \ud800 high", "Lone \udc00 low"]) {
      const response = await app.gql(
        `mutation($input: CreateAccountInput!) { createAccount(input: $input) { __typename } }`,
        { input: { name } },
        admin.token,
      );
      expect(response.errors?.[0]?.extensions?.code, JSON.stringify(name)).toBe("VALIDATION_FAILED");
      expect(response.errors?.[0]?.message).toContain("variables.input.name");
    }
    const inline = await app.gql(
      `{ accounts(filter: { search: "a\\u0000b" }) { totalCount } }`,
      {},
      admin.token,
    );
    expect(inline.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
    expect(inline.errors?.[0]?.message).toContain("document");
    const search = await app.gql(
      `query($s: String) { accounts(filter: { search: $s }) { totalCount } }`,
      { s: "\ud83d" },
      admin.token,
    );
    expect(search.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
    // A whole emoji (a proper pair) is fine.
    const emoji = await app.gql(
      `query($s: String) { accounts(filter: { search: $s }) { totalCount } }`,
      { s: "\ud83d\ude00" },
      admin.token,
    );
    expect(emoji.errors).toBeUndefined();
    expect(await app.db.prisma.account.count()).toBe(before);
  });

  it("takes at most 100 IDs in nodes(ids:)", async () => {
    const many = Array.from({ length: 10_000 }, () => ids["Plain Trading"]);
    const refused = await app.gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
      { ids: many },
      admin.token,
    );
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "VALIDATION_FAILED",
      argument: "ids",
      maximum: 100,
    });
    const page = await app.gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
      { ids: many.slice(0, 100) },
      admin.token,
    );
    expect(page.errors).toBeUndefined();
    expect(page.data.nodes).toHaveLength(100);
  });
});
