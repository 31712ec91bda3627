import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxPageSize } from "../../api/page-size.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await createTestApp();
  token = (await app.createUser("ADMIN")).token;
  await app.db.prisma.account.createMany({
    data: Array.from({ length: 130 }, (_, index) => ({
      name: `Paged ${String(index).padStart(3, "0")}`,
      sortName: `paged ${String(index).padStart(3, "0")}`,
    })),
  });
});
afterAll(() => app.close());

describe("page sizes", () => {
  it("refuses a page whose cursor and filter are both bad with one error, leaving no read behind", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const { data, errors } = await app.gql(
        `query($id: ID) { accounts(after: "not a cursor", filter: { savedSegmentId: $id }) { totalCount } }`,
        { id: "x".repeat(201) },
        token,
      );
      expect(data).toBeNull();
      expect(errors).toHaveLength(1);
      expect(errors?.[0]?.message).toMatch(/cursor/i);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });

  it("serves up to the maximum, and 20 when neither first nor last is given", async () => {
    const { data, errors } = await app.gql(
      `{ full: accounts(first: ${maxPageSize}) { edges { cursor } pageInfo { hasNextPage } }
         plain: accounts { edges { cursor } } }`,
      {},
      token,
    );
    expect(errors).toBeUndefined();
    expect(data.full.edges).toHaveLength(maxPageSize);
    expect(data.full.pageInfo.hasNextPage).toBe(true);
    expect(data.plain.edges).toHaveLength(20);
  });

  it("refuses first or last above the maximum, naming the field and the maximum, before anything runs", async () => {
    app.statements.length = 0;
    const { data, errors, status } = await app.gql(
      `query($n: Int) { big: accounts(first: $n) { totalCount }
         scoreMatrix(first: 500) { __typename }
         viewer { role } }`,
      { n: 101 },
      token,
    );
    expect(status).toBe(200);
    expect(data).toBeUndefined();
    expect(errors).toHaveLength(2);
    expect(errors![0]).toMatchObject({
      message: expect.stringContaining("big (accounts): first is 101, above the maximum of 100 per page"),
      extensions: { code: "VALIDATION_FAILED", argument: "first", maximum: 100 },
    });
    expect(errors![1]!.message).toContain("scoreMatrix: first is 500");
    // Only the authentication ran: no page was read.
    expect(app.statements.length).toBeGreaterThan(0);
    expect(app.statements.filter((sql) => sql.includes('"Account"'))).toEqual([]);
  });

  it("checks connections nested in fragments and in lists", async () => {
    const { errors } = await app.gql(
      `{ accounts(first: 2) { edges { node { ...history } } } }
       fragment history on Account { events(last: 1000) { totalCount } }`,
      {},
      token,
    );
    expect(errors?.[0]).toMatchObject({
      message: expect.stringContaining("events: last is 1000"),
      extensions: { argument: "last", maximum: maxPageSize },
    });
  });

  it("says so in the schema", async () => {
    const { data } = await app.gql(
      `{ __type(name: "Query") { fields { name args { name description } } } }`,
      {},
      token,
    );
    const accounts = data.__type.fields.find((field: any) => field.name === "accounts");
    const first = accounts.args.find((arg: any) => arg.name === "first");
    expect(first.description).toContain(`at most ${maxPageSize}`);
  });
});
