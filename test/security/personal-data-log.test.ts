import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

/** Aliases and repeated fields cannot flood the GDPR access log: one row per contact per purpose. */

describe("the personal-data access log under repetition", () => {
  let app: TestApp;
  let admin: { token: string };
  const contactIds: string[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.createUser("ADMIN");
    const account = await app.db.prisma.account.create({
      data: { name: "Logged SA", sortName: "logged sa" },
    });
    for (const [index, name] of ["Ana Lima", "Bruno Costa", "Carla Dias"].entries()) {
      const contact = await app.db.prisma.contact.create({
        data: { accountId: account.id, name, decisionRole: "USER", influence: 2, attitude: "NEUTRAL" },
      });
      contactIds.push(contact.id);
      const response = await app.gql(
        `mutation($input: SetPersonalFactsInput!) { setContactPersonalFacts(input: $input) { __typename } }`,
        {
          input: {
            contactId: globalId("Contact", contact.id),
            // Within the next days, whatever today is.
            birthday: `--${new Date(Date.now() + (index + 1) * 86_400_000).toISOString().slice(5, 10)}`,
            hobbies: "Sailing",
            source: "Met at a trade fair",
            collectedAt: "2024-03-01T00:00:00.000Z",
            legalBasis: "LEGITIMATE_INTEREST",
          },
        },
        admin.token,
      );
      expect(response.data.setContactPersonalFacts.__typename).toBe("MutationSetContactPersonalFactsSuccess");
    }
  });
  afterAll(() => app.close());

  /** Rows of the log for these contacts, by purpose. */
  const counts = async () => {
    const rows = await app.db.prisma.personalDataAccess.findMany({
      where: { contactId: { in: contactIds } },
      select: { purpose: true },
    });
    const byPurpose: Record<string, number> = {};
    for (const row of rows) byPurpose[row.purpose] = (byPurpose[row.purpose] ?? 0) + 1;
    return byPurpose;
  };
  const added = (before: Record<string, number>, after: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(after)
        .map(([purpose, count]) => [purpose, count - (before[purpose] ?? 0)])
        .filter(([, count]) => count !== 0),
    );

  it("logs each contact once for twenty aliases of upcomingBirthdays", async () => {
    const before = await counts();
    const aliases = Array.from(
      { length: 20 },
      (_, index) => `b${index}: upcomingBirthdays(days: 10) { date contact { name } }`,
    );
    const response = await app.gql(`{ ${aliases.join(" ")} }`, {}, admin.token);
    expect(response.errors).toBeUndefined();
    expect(response.data.b0).toHaveLength(3);
    expect(response.data.b19).toHaveLength(3);
    expect(added(before, await counts())).toEqual({ birthdays: 3 });
  });

  it("logs each contact once per purpose when one request reads them several ways", async () => {
    const before = await counts();
    const fields = Array.from(
      { length: 10 },
      (_, index) => `c${index}: contacts { personalFacts { hobbies } }`,
    ).join(" ");
    const response = await app.gql(
      `{ a: upcomingBirthdays(days: 10) { date } b: upcomingBirthdays(days: 10) { date }
         accounts(first: 5) { edges { node { ${fields} } } } }`,
      {},
      admin.token,
    );
    expect(response.errors).toBeUndefined();
    expect(added(before, await counts())).toEqual({ birthdays: 3, read: 3 });
  });
});
