import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";

/** A saved segment's filter follows the rules of accounts(filter), and stays small. */

const createMutation = `mutation($input: CreateSavedSegmentInput!) {
  createSavedSegment(input: $input) {
    __typename
    ... on MutationCreateSavedSegmentSuccess { data { id filter } }
    ... on ValidationError { issues { path message } }
  }
}`;

describe("saved-segment filters", () => {
  let app: TestApp;
  let manager: { token: string };

  beforeAll(async () => {
    app = await createTestApp();
    manager = await app.createUser("MANAGER");
  });
  afterAll(() => app.close());

  const create = (name: string, filter: Record<string, unknown>) =>
    app.gql(createMutation, { input: { name, filter } }, manager.token);

  it("refuses oversized texts and repeated values, stores nothing and audits nothing", async () => {
    const segments = await app.db.prisma.savedSegment.count();
    const audits = await app.db.prisma.auditEntry.count();
    const cases: [Record<string, unknown>, string][] = [
      [{ search: "x".repeat(1_000_000) }, "input.filter.search"],
      [{ industry: "y".repeat(201) }, "input.filter.industry"],
      [{ status: Array.from({ length: 1000 }, () => "ACTIVE") }, "input.filter.status"],
      [{ abc: ["A", "B", "C", "A"] }, "input.filter.abc"],
    ];
    for (const [filter, path] of cases) {
      const response = await create(`Big ${path}`, filter);
      expect(response.errors, path).toBeUndefined();
      expect(response.data.createSavedSegment.__typename, path).toBe("ValidationError");
      expect(
        response.data.createSavedSegment.issues.map((issue: any) => issue.path),
        path,
      ).toContain(path);
    }
    expect(await app.db.prisma.savedSegment.count()).toBe(segments);
    expect(await app.db.prisma.auditEntry.count()).toBe(audits);
  });

  it("saves a filter within the rules, and applies it", async () => {
    const response = await create("Active chemicals", {
      status: ["ACTIVE", "AT_RISK"],
      industry: "Chemicals",
      search: "50% off",
    });
    expect(response.data.createSavedSegment.__typename).toBe("MutationCreateSavedSegmentSuccess");
    const id = response.data.createSavedSegment.data.id;
    const used = await app.gql(
      `query($id: ID!) { accounts(filter: { savedSegmentId: $id }) { totalCount } }`,
      { id },
      manager.token,
    );
    expect(used.errors).toBeUndefined();
    expect(used.data.accounts.totalCount).toBe(0);
  });

  it("answers a stored filter that breaks today's rules with a typed error, not an internal one", async () => {
    const segment = await app.db.prisma.savedSegment.create({
      data: { name: "From before the rules", filter: { search: "z".repeat(5000) } },
    });
    const { encodeGlobalID } = await import("@pothos/plugin-relay");
    const used = await app.gql(
      `query($id: ID!) { accounts(filter: { savedSegmentId: $id }) { totalCount } }`,
      { id: encodeGlobalID("SavedSegment", segment.id) },
      manager.token,
    );
    expect(used.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
    expect(used.errors?.[0]?.message).toContain("filter.search");
  });
});
