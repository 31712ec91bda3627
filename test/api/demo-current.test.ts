import { afterAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../api/clock.ts";
import { demoAdminEmail, seedDemoData, staleDemoNotice } from "../../prisma/seed/index.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

/**
 * The demo never ages: seeded on any day and analysed on the same day (the same clock), it shows a
 * full ABC-XYZ matrix, the at-risk and lost accounts it was seeded with, birthdays to come and
 * key-account candidates. Today, a leap day and the last hour of a 31-day month.
 */
const days = [new Date(), new Date("2028-02-29T12:00:00Z"), new Date("2030-07-31T23:30:00Z")];

const apps: TestApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

function monthKey(date: Date, back: number) {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
}

describe("the demo seeded on any day", () => {
  for (const day of days) {
    it(`is current on ${day.toISOString()}`, { timeout: 120_000 }, async () => {
      const app = await createTestApp({}, { clock: fixedClock(day) });
      apps.push(app);
      await seedDemoData(app.db, { asOf: day });
      const admin = await app.db.prisma.user.findUniqueOrThrow({ where: { email: demoAdminEmail } });
      const { data, errors } = await app.gql(
        `{
          segmentMatrix { accountCount window { from to } cells { abc xyz accountCount } }
          atRiskAccounts(first: 100) { totalCount edges { node { status } } }
          lostAccounts(first: 1) { totalCount }
          upcomingBirthdays(days: 30) { date daysUntil }
          keyAccountCandidates { ... on KeyAccountCandidates { toAdd { reason } toDrop { reason } } }
        }`,
        {},
        await app.tokenFor(admin.id),
      );
      expect(errors).toBeUndefined();
      const seeded = Object.fromEntries(
        (await app.db.prisma.account.groupBy({ by: ["status"], _count: { _all: true } })).map((row) => [
          row.status,
          row._count._all,
        ]),
      ) as Record<string, number>;

      // The window ends with the last complete month, and every cell holds accounts.
      expect(data.segmentMatrix.window).toEqual({ from: monthKey(day, 12), to: monthKey(day, 1) });
      for (const cell of data.segmentMatrix.cells) {
        expect(cell.accountCount, `${cell.abc}${cell.xyz}`).toBeGreaterThan(0);
      }

      // At risk: the accounts seeded as such, not half the portfolio.
      const atRisk = data.atRiskAccounts.totalCount;
      expect(seeded.AT_RISK).toBeGreaterThan(10);
      expect(atRisk).toBeGreaterThanOrEqual(Math.floor(seeded.AT_RISK! * 0.8));
      expect(atRisk).toBeLessThanOrEqual(Math.ceil(seeded.AT_RISK! * 1.25));
      expect(atRisk / data.segmentMatrix.accountCount).toBeLessThan(0.2);
      const flagged = data.atRiskAccounts.edges.map((edge: any) => edge.node.status);
      expect(
        flagged.filter((status: string) => status === "AT_RISK").length / flagged.length,
      ).toBeGreaterThan(0.8);

      expect(data.lostAccounts.totalCount).toBeGreaterThan(0);
      expect(data.lostAccounts.totalCount).toBeLessThanOrEqual(seeded.LOST!);

      // Birthdays in the next 30 days, all of them within the 30 days.
      const birthdays: { date: string; daysUntil: number }[] = data.upcomingBirthdays;
      expect(birthdays.length).toBeGreaterThan(5);
      const startOfDay = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
      for (const birthday of birthdays) {
        expect(birthday.daysUntil).toBeGreaterThanOrEqual(0);
        expect(birthday.daysUntil).toBeLessThanOrEqual(30);
        expect(Date.parse(`${birthday.date}T00:00:00Z`)).toBe(startOfDay + birthday.daysUntil * 86_400_000);
      }

      expect(data.keyAccountCandidates.toAdd.length).toBeGreaterThan(0);
      expect(data.keyAccountCandidates.toDrop.length).toBeGreaterThan(0);

      // Nothing in the demo lies after the day it was seeded.
      const latest = await app.db.prisma.accountEvent.aggregate({ _max: { occurredAt: true } });
      expect(latest._max.occurredAt!.getTime()).toBeLessThanOrEqual(day.getTime());
      const lastInvoice = await app.db.prisma.salesLine.aggregate({ _max: { invoiceDate: true } });
      expect(lastInvoice._max.invoiceDate!.toISOString().slice(0, 7)).toBe(monthKey(day, 1));
      const lastScore = await app.db.prisma.scoreChange.aggregate({ _max: { changedAt: true } });
      expect(lastScore._max.changedAt!.getTime()).toBeLessThanOrEqual(day.getTime());

      // Current today; a month on, the server says it has aged and how to lay it out again.
      expect(await staleDemoNotice(app.db, day)).toBeNull();
      const monthLater = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 2));
      expect(await staleDemoNotice(app.db, monthLater)).toContain(`sales end in ${monthKey(day, 1)}`);
    });
  }
});
