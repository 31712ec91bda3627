/**
 * Reads straight to the driver (api/db/statements.ts, model-rows.ts): the rows a statement gives,
 * converted by the data model, equal what the Prisma client gives for the same records, on the
 * database the run uses; lists bind as one parameter; every statement reaches the statement log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asModelRows, modelColumns } from "../../api/db/model-rows.ts";
import { Prisma } from "../../prisma/generated/sqlite/client.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
let accountId: string;
let contactIds: string[];

beforeAll(async () => {
  app = await createTestApp();
  const owner = await app.createUser("MANAGER", "Owner Ödön");
  const account = await app.db.prisma.account.create({
    data: {
      name: "Driver Reads GmbH",
      sortName: "driver reads gmbh",
      ownerId: owner.id,
      isKeyAccount: true,
      hasBudget: null,
      employeeCount: 1200,
      archivedAt: new Date("2026-03-04T05:06:07.089Z"),
    },
  });
  accountId = account.id;
  const contacts = await Promise.all(
    ["Ana", "Bruno", "Chloé"].map((name, index) =>
      app.db.prisma.contact.create({
        data: {
          accountId,
          name,
          decisionRole: "INFLUENCER",
          influence: index + 1,
          attitude: "NEUTRAL",
          lastContactedAt: index === 0 ? new Date("2025-12-31T23:59:59.999Z") : null,
        },
      }),
    ),
  );
  contactIds = contacts.map((contact) => contact.id);
  await app.db.prisma.contactPersonalFacts.create({
    data: {
      contactId: contactIds[0] as string,
      hobbies: "chess",
      source: "trade fair",
      collectedAt: new Date("2026-01-02T03:04:05.006Z"),
      legalBasis: "LEGITIMATE_INTEREST",
      confirmedAt: new Date("2026-02-03T04:05:06.007Z"),
    },
  });
  await app.db.prisma.setting.create({
    data: { key: "driverReadsProbe", value: { nested: [1, "two", null] } },
  });
  await app.db.prisma.setting.create({ data: { key: "driverReadsText", value: "MARGIN" } });
});
afterAll(() => app.close());

async function read<T>(model: Prisma.ModelName, statement: Prisma.Sql): Promise<T[]> {
  return asModelRows<T>(model, await app.db.read(statement));
}

describe("reads straight to the driver", () => {
  it("give an account as the Prisma client does: instants, booleans, nulls and numbers alike", async () => {
    const [row] = await read(
      "Account",
      Prisma.sql`SELECT ${modelColumns("Account")} FROM "Account" WHERE "id" = ${accountId}`,
    );
    const fromPrisma = await app.db.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
    expect(row).toEqual(fromPrisma);
    expect((row as typeof fromPrisma).archivedAt).toBeInstanceOf(Date);
    expect((row as typeof fromPrisma).isKeyAccount).toBe(true);
  });

  it("give contacts and their personal facts as the Prisma client does", async () => {
    const contacts = await read(
      "Contact",
      Prisma.sql`SELECT ${modelColumns("Contact")} FROM "Contact"
        WHERE ${app.db.dialect.inList(Prisma.sql`"id"`, contactIds)} ORDER BY "influence"`,
    );
    const fromPrisma = await app.db.prisma.contact.findMany({
      where: { id: { in: contactIds } },
      orderBy: { influence: "asc" },
    });
    expect(contacts).toEqual(fromPrisma);
    const [facts] = await read(
      "ContactPersonalFacts",
      Prisma.sql`SELECT ${modelColumns("ContactPersonalFacts")} FROM "ContactPersonalFacts" WHERE "contactId" = ${contactIds[0]}`,
    );
    expect(facts).toEqual(
      await app.db.prisma.contactPersonalFacts.findUniqueOrThrow({ where: { contactId: contactIds[0] } }),
    );
  });

  it("parse JSON columns once, a JSON string included", async () => {
    const rows = await read<{ key: string; value: unknown }>(
      "Setting",
      Prisma.sql`SELECT "key", "value" FROM "Setting" WHERE "key" LIKE ${"driverReads%"} ORDER BY "key"`,
    );
    expect(rows).toEqual([
      { key: "driverReadsProbe", value: { nested: [1, "two", null] } },
      { key: "driverReadsText", value: "MARGIN" },
    ]);
  });

  it("bind a list as one parameter, whatever its length, and an empty list matches nothing", async () => {
    const statement = (ids: string[]) =>
      Prisma.sql`SELECT "id" FROM "Contact" WHERE ${app.db.dialect.inList(Prisma.sql`"id"`, ids)} ORDER BY "id"`;
    const some = await app.db.read<{ id: string }>(statement(contactIds.slice(0, 2)));
    expect(some.map((row) => row.id)).toEqual(contactIds.slice(0, 2).sort());
    expect(await app.db.read(statement([]))).toEqual([]);
    expect(statement(contactIds.slice(0, 1)).sql).toBe(statement(contactIds).sql);
  });

  it("reach the statement log, and a bad statement fails with the driver's error without harm", async () => {
    app.statements.length = 0;
    await app.db.read(Prisma.sql`SELECT ${1} AS one`);
    expect(app.statements).toHaveLength(1);
    await expect(app.db.read(Prisma.sql`SELECT "nothing" FROM "NoSuchTable"`)).rejects.toThrow();
    const [after] = await app.db.read<{ two: unknown }>(Prisma.sql`SELECT ${2} AS two`);
    expect(Number(after?.two)).toBe(2);
  });

  it("keep answering past the number of statements kept prepared", async () => {
    for (let index = 0; index < 520; index += 1) {
      const [row] = await app.db.read<{ n: number }>(
        Prisma.sql`SELECT ${index} + ${Prisma.raw(String(index))} AS n`,
      );
      expect(Number(row?.n)).toBe(index * 2);
    }
  });
});
