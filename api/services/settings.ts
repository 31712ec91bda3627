import { z } from "zod";
import type { Prisma } from "../../prisma/generated/sqlite/client.ts";
import { assertAdmin } from "../auth/permissions.ts";
import type { Principal } from "../auth/principal.ts";
import type { Db } from "../db/index.ts";
import { parseInput } from "../validation.ts";
import { recordAudit } from "./audit.ts";

/** Every setting with its rule and default; stored values override the defaults. */
const settingsSchema = z.object({
  /** Personal facts not confirmed for this many months are listed for review. */
  personalDataReviewMonths: z
    .number()
    .int("must be a whole number of months")
    .min(1, "must be between 1 and 120")
    .max(120, "must be between 1 and 120")
    .default(12),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingsPatch = Partial<{ [K in keyof Settings]: Settings[K] | null }>;

export async function getSettings(db: Db | Prisma.TransactionClient): Promise<Settings> {
  const rows = await db.setting.findMany();
  const stored = Object.fromEntries(rows.map((row) => [row.key, row.value]));
  // A stored value that no longer passes the rules falls back to its default.
  const defaults = settingsSchema.parse({});
  const merged: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof Settings)[]) {
    const field = settingsSchema.shape[key].safeParse(stored[key]);
    if (field.success && stored[key] !== undefined) merged[key] = field.data;
  }
  return merged as Settings;
}

/** Changes settings (admins only); null restores a default. */
export async function updateSettings(db: Db, principal: Principal, patch: SettingsPatch): Promise<Settings> {
  assertAdmin(principal);
  const changes = parseInput(settingsSchema.partial().extend({}).strict(), dropNulls(patch));
  const resets = Object.entries(patch)
    .filter(([, value]) => value === null)
    .map(([key]) => key);
  return db.$transaction(async (tx) => {
    const before = await getSettings(tx);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      const data = { value: value as Prisma.InputJsonValue, updatedById: actorId(principal) };
      await tx.setting.upsert({ where: { key }, create: { key, ...data }, update: data });
    }
    if (resets.length) await tx.setting.deleteMany({ where: { key: { in: resets } } });
    const after = await getSettings(tx);
    await recordAudit(tx, principal, {
      action: "settings.update",
      entityType: "Setting",
      entityId: "settings",
      before,
      after,
    });
    return after;
  });
}

function dropNulls(patch: SettingsPatch) {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== null && value !== undefined),
  );
}

function actorId(principal: Principal): string {
  return principal.kind === "user" ? principal.user.id : principal.apiKey.id;
}
