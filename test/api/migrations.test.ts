import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { openDatabase, sqliteFilePath } from "../../api/db/index.ts";
import { applyMigrations, prismaCommand } from "../../api/db/migrate.ts";
import { createEmptyPostgresDatabase } from "../support/postgres.ts";

async function emptyDatabaseUrl(): Promise<string> {
  if (inject("dbKind") === "postgres") return createEmptyPostgresDatabase(inject("postgresTemplate"));
  return `file:${path.join(inject("testDir"), `empty-${Date.now()}.db`)}`;
}

describe("migrations from an empty database", () => {
  // The PostgreSQL migration engine takes about ten seconds a run here, hence the generous timeouts.
  it("apply in order, leave nothing pending, and give a database every model can use", {
    timeout: 120_000,
  }, async () => {
    const url = await emptyDatabaseUrl();
    if (url.startsWith("file:")) expect(existsSync(sqliteFilePath(url))).toBe(false);

    applyMigrations(url);
    expect(prismaCommand(["migrate", "status"], url)).toMatch(/Database schema is up to date/);

    const db = openDatabase(url);
    try {
      const user = await db.prisma.user.create({ data: { email: "m@x.kam", name: "M", role: "MANAGER" } });
      const account = await db.prisma.account.create({
        data: { name: "Acme", sortName: "acme", ownerId: user.id, team: { create: [{ userId: user.id }] } },
        include: { team: true },
      });
      await db.prisma.apiKey.create({
        data: { name: "k", prefix: "kam_abcdefgh", hash: "0".repeat(64), scopes: "read" },
      });
      await db.prisma.auditEntry.create({
        data: {
          actorKind: "SYSTEM",
          actorLabel: "system",
          action: "test",
          entityType: "Account",
          entityId: account.id,
          after: { nested: { list: [1, "two"] } },
        },
      });
      expect(account.team).toHaveLength(1);
      expect(account.status).toBe("PROSPECT");
      expect(account.version).toBe(1);
      const entry = await db.prisma.auditEntry.findFirstOrThrow();
      expect(entry.after).toEqual({ nested: { list: [1, "two"] } });
      // Deleting a user keeps the account and clears its owner.
      await db.prisma.user.delete({ where: { id: user.id } });
      const orphan = await db.prisma.account.findUniqueOrThrow({
        where: { id: account.id },
        include: { team: true },
      });
      expect(orphan.ownerId).toBeNull();
      expect(orphan.team).toHaveLength(0);
    } finally {
      await db.close();
    }
  });

  it("re-running migrate on an up-to-date database changes nothing", { timeout: 120_000 }, async () => {
    const url = await emptyDatabaseUrl();
    applyMigrations(url);
    applyMigrations(url);
    expect(prismaCommand(["migrate", "status"], url)).toMatch(/Database schema is up to date/);
  });
});
