import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgetRemembered } from "../../api/db/since-last-write.ts";
import { createCriteriaSet } from "../../api/services/criteria-sets.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

/** An expensive field asked for twice in one request (aliases) is computed once. */

describe("identical expensive fields in one request", () => {
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    app = await createTestApp();
    const admin = await app.createUser("ADMIN");
    token = admin.token;
    const principal = {
      kind: "user" as const,
      user: await app.db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } }),
    };
    await createCriteriaSet(
      { ...app, principal },
      {
        name: "Repeated",
        keyAccountRule: "TOP_N",
        keyAccountCount: 1,
        criteria: [{ key: "profit", label: "Profit potential", weight: 1 }],
      },
    );
    for (const name of ["Atlas", "Boreal", "Cirrus"]) {
      await app.db.prisma.account.create({ data: { name, sortName: name.toLowerCase(), status: "ACTIVE" } });
    }
  });
  afterAll(() => app.close());

  /** The statements of a request that computes its analyses afresh (none remembered from before). */
  async function statements(query: string) {
    forgetRemembered(app.db);
    app.statements.length = 0;
    const response = await app.gql(query, {}, token);
    expect(response.errors, query).toBeUndefined();
    return app.statements.length;
  }

  const fields = {
    scoreMatrix:
      "scoreMatrix(first: 10) { __typename ... on QueryScoreMatrixSuccess { data { totalCount } } }",
    keyAccountCandidates: "keyAccountCandidates { __typename }",
    segmentMatrix: "segmentMatrix { total }",
    concentration: "concentration { __typename }",
    workload: "workload { __typename }",
  };

  for (const [name, field] of Object.entries(fields)) {
    it(`${name}: five aliases send the statements of one`, async () => {
      const once = await statements(`{ a: ${field} }`);
      const five = await statements(
        `{ ${["a", "b", "c", "d", "e"].map((alias) => `${alias}: ${field}`).join(" ")} }`,
      );
      expect(once).toBeGreaterThan(1);
      expect(five).toBe(once);
    });
  }
});
