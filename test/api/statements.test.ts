import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await createTestApp();
  const admin = await app.createUser("ADMIN");
  token = admin.token;
  for (let index = 0; index < 60; index += 1) {
    const name = `Account ${String(index).padStart(2, "0")}`;
    const account = await app.db.prisma.account.create({ data: { name, sortName: name.toLowerCase() } });
    // An org chart three levels deep with a personal fact, on every account.
    const head = await app.db.prisma.contact.create({
      data: {
        accountId: account.id,
        name: `Head ${index}`,
        decisionRole: "DECISION_MAKER",
        influence: 5,
        attitude: "SUPPORTER",
      },
    });
    for (let report = 0; report < 2; report += 1) {
      const middle = await app.db.prisma.contact.create({
        data: {
          accountId: account.id,
          name: `Middle ${index}.${report}`,
          decisionRole: "INFLUENCER",
          influence: 3,
          attitude: "NEUTRAL",
          reportsToId: head.id,
        },
      });
      await app.db.prisma.contact.create({
        data: {
          accountId: account.id,
          name: `User ${index}.${report}`,
          decisionRole: "USER",
          influence: 1,
          attitude: "CHAMPION",
          reportsToId: middle.id,
          personalFacts: {
            create: {
              hobbies: "sailing",
              source: "trade fair",
              collectedAt: new Date("2026-01-01"),
              legalBasis: "LEGITIMATE_INTEREST",
              confirmedAt: new Date(),
            },
          },
        },
      });
    }
  }
});
afterAll(() => app.close());

const pageQuery = `query($first: Int!) {
  accounts(first: $first) {
    totalCount
    edges { node {
      name
      owner { name }
      decisionUnit {
        name decisionRole personalFactsRestricted
        reports {
          name
          reports { name personalFacts { hobbies } }
        }
      }
    } }
  }
}`;

async function statementsFor(first: number) {
  app.statements.length = 0;
  const response = await app.gql(pageQuery, { first }, token);
  expect(response.errors).toBeUndefined();
  expect(response.data.accounts.edges).toHaveLength(first);
  const leaf = response.data.accounts.edges[0].node.decisionUnit[0].reports[0].reports[0];
  expect(leaf.personalFacts).toEqual({ hobbies: "sailing" });
  return app.statements.length;
}

describe("SQL statements per page", () => {
  it("a page of accounts with their decision units costs the same number of statements for 5 or 50 accounts", async () => {
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(small).toBeGreaterThan(0);
    expect(large).toBe(small);
    // The caller, the count, the page, owners, each org-chart level with the account teams that
    // decide who sees personal facts, the facts, and one insert (in a transaction) into the read log.
    expect(small).toBeLessThanOrEqual(16);
  });
});
