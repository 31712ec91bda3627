import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../api/db/index.ts";
import { demoAdminEmail, demoViewerEmail, seedDemoData } from "../../prisma/seed.ts";
import { createTestApp, createTestDatabaseUrl, type TestApp } from "../support/app.ts";

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
  await seedDemoData(app.db.prisma);
});
afterAll(() => app.close());

async function snapshot(db: TestApp["db"]) {
  const accounts = await db.prisma.account.findMany({
    orderBy: { externalId: "asc" },
    select: {
      id: true,
      name: true,
      externalId: true,
      industry: true,
      country: true,
      status: true,
      isKeyAccount: true,
      owner: { select: { email: true } },
      team: { select: { user: { select: { email: true } } }, orderBy: { userId: "asc" } },
    },
  });
  const users = await db.prisma.user.findMany({
    orderBy: { email: "asc" },
    select: { id: true, email: true, name: true, role: true },
  });
  return { accounts, users };
}

describe("demo data", () => {
  it("has the people the README promises", async () => {
    const users = await app.db.prisma.user.findMany();
    expect(users.filter((user) => user.role === "MANAGER")).toHaveLength(12);
    expect(users.find((user) => user.email === demoAdminEmail)?.role).toBe("ADMIN");
    expect(users.find((user) => user.email === demoViewerEmail)?.role).toBe("VIEWER");
  });

  it("has at least 200 accounts across industries, regions and statuses, each with an owner", async () => {
    const accounts = await app.db.prisma.account.findMany();
    expect(accounts.length).toBeGreaterThanOrEqual(200);
    expect(new Set(accounts.map((account) => account.industry)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(accounts.map((account) => account.region)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(accounts.map((account) => account.status))).toEqual(
      new Set(["PROSPECT", "ACTIVE", "AT_RISK", "LOST"]),
    );
    expect(accounts.every((account) => account.ownerId !== null)).toBe(true);
    expect(new Set(accounts.map((account) => account.name)).size).toBe(accounts.length);
  });

  it("gives managers about nine key accounts each, as the articles describe", async () => {
    const keyAccounts = await app.db.prisma.account.count({ where: { isKeyAccount: true } });
    expect(keyAccounts / 12).toBeGreaterThanOrEqual(6);
    expect(keyAccounts / 12).toBeLessThanOrEqual(12);
  });

  it("is the same on every run (fixed random seed)", async () => {
    const other = openDatabase(await createTestDatabaseUrl());
    try {
      await seedDemoData(other.prisma);
      expect(await snapshot(other)).toEqual(await snapshot(app.db));
    } finally {
      await other.close();
    }
  });

  it("is readable through the API, sorted by name", async () => {
    const admin = await app.db.prisma.user.findUniqueOrThrow({ where: { email: demoAdminEmail } });
    const { data } = await app.gql(
      `{ accounts(first: 20) { totalCount edges { node { name owner { email } } } } }`,
      {},
      await app.tokenFor(admin.id),
    );
    expect(data.accounts.totalCount).toBeGreaterThanOrEqual(200);
    const names: string[] = data.accounts.edges.map((edge: any) => edge.node.name);
    const folded = names.map((name) => name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase());
    expect(folded).toEqual([...folded].sort());
  });
});
