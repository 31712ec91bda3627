import { z } from "zod";
import { Prisma } from "../../prisma/generated/sqlite/client.ts";
import { assertAdmin } from "../auth/permissions.ts";
import type { Principal } from "../auth/principal.ts";
import type { Database } from "../db/index.ts";
import { asModelRows } from "../db/model-rows.ts";
import { ValidationError } from "../errors.ts";
import { parseInput } from "../validation.ts";
import { recordAudit } from "./audit.ts";
import type { ServiceContext, SystemContext } from "./context.ts";

const share = z.number().gt(0, "must be a share between 0 and 1").lt(1, "must be a share between 0 and 1");

/** Every setting with its rule and default; stored values override the defaults. */
const settingsSchema = z.object({
  /** Personal facts not confirmed for this many months are listed for review. */
  personalDataReviewMonths: z
    .number()
    .int("must be a whole number of months")
    .min(1, "must be between 1 and 120")
    .max(120, "must be between 1 and 120")
    .default(12),
  /** ABC-XYZ: what ABC ranks accounts by. */
  segmentMeasure: z.enum(["REVENUE", "MARGIN"], { message: "must be REVENUE or MARGIN" }).default("REVENUE"),
  /** ABC-XYZ: how many complete months, ending last month, the analysis looks at. */
  segmentWindowMonths: z
    .number()
    .int("must be a whole number")
    .min(3, "must be from 3 to 36")
    .max(36, "must be from 3 to 36")
    .default(12),
  /** ABC: the cumulative share up to which accounts are A (the articles: 80%). */
  abcCutoffA: share.default(0.8),
  /** ABC: the cumulative share up to which accounts are B (the articles: 95%). */
  abcCutoffB: share.default(0.95),
  /** XYZ: the coefficient of variation up to which demand is regular, X (0.10). */
  xyzCutoffX: z.number().min(0.01, "must be from 0.01 to 5").max(5, "must be from 0.01 to 5").default(0.1),
  /** XYZ: the coefficient of variation up to which demand is Y (0.25); above is Z. */
  xyzCutoffY: z.number().min(0.01, "must be from 0.01 to 5").max(5, "must be from 0.01 to 5").default(0.25),
  /** XYZ: fewer months of history than this and an account counts as irregular (Z). */
  xyzMinimumMonths: z
    .number()
    .int("must be a whole number")
    .min(2, "must be from 2 to 36")
    .max(36, "must be from 2 to 36")
    .default(6),
  /** Workload: key accounts one manager can carry before a warning (the articles: about 9). */
  keyAccountCap: z
    .number()
    .int("must be a whole number")
    .min(1, "must be from 1 to 100")
    .max(100, "must be from 1 to 100")
    .default(9),
  /** At risk: silence longer than this many days … */
  atRiskSilenceFloorDays: z
    .number()
    .int("must be a whole number")
    .min(7, "must be from 7 to 730")
    .max(730, "must be from 7 to 730")
    .default(90),
  /** … and longer than this many times the account's own median gap between purchases. */
  atRiskGapMultiplier: z.number().min(1, "must be from 1 to 20").max(20, "must be from 1 to 20").default(3),
  /** At risk: revenue of the last 3 months down by more than this percentage against the same months a year before. */
  atRiskRevenueDropPercent: z
    .number()
    .gt(0, "must be above 0 and at most 100")
    .max(100, "must be above 0 and at most 100")
    .default(30),
  /** Lost: no purchase for this many months. */
  lostAfterMonths: z
    .number()
    .int("must be a whole number")
    .min(1, "must be from 1 to 60")
    .max(60, "must be from 1 to 60")
    .default(12),
});

/** Rules between settings, checked on the settings as they would be after a change. */
function settingsIssues(settings: Settings) {
  const issues: { path: string; message: string }[] = [];
  if (settings.abcCutoffA >= settings.abcCutoffB) {
    issues.push({ path: "abcCutoffA", message: "must be below abcCutoffB" });
  }
  if (settings.xyzCutoffX >= settings.xyzCutoffY) {
    issues.push({ path: "xyzCutoffX", message: "must be below xyzCutoffY" });
  }
  if (settings.xyzMinimumMonths > settings.segmentWindowMonths) {
    issues.push({ path: "xyzMinimumMonths", message: "cannot exceed segmentWindowMonths" });
  }
  return issues;
}

export type Settings = z.output<typeof settingsSchema>;
export const defaultSettings: Settings = settingsSchema.parse({});
export type SettingsPatch = Partial<{ [K in keyof Settings]: Settings[K] | null }>;

/** The settings in force. */
export function getSettings({ db }: SystemContext): Promise<Settings> {
  return readSettings(db);
}

/** The settings as a transaction reads them, or, outside one, as the database holds them. */
export async function readSettings(source: Database | Prisma.TransactionClient): Promise<Settings> {
  const rows =
    "read" in source
      ? asModelRows<{ key: string; value: unknown }>(
          "Setting",
          await source.read(Prisma.sql`SELECT "key", "value" FROM "Setting"`),
        )
      : await source.setting.findMany();
  const stored = Object.fromEntries(rows.map((row) => [row.key, row.value]));
  // A stored value that no longer passes the rules falls back to its default.
  const defaults = defaultSettings;
  const merged: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof Settings)[]) {
    const field = settingsSchema.shape[key].safeParse(stored[key]);
    if (field.success && stored[key] !== undefined) merged[key] = field.data;
  }
  return merged as Settings;
}

/** The settings ABC-XYZ classifies by, which a reader may try without saving them. */
const segmentSettingsSchema = settingsSchema
  .pick({
    segmentMeasure: true,
    segmentWindowMonths: true,
    abcCutoffA: true,
    abcCutoffB: true,
    xyzCutoffX: true,
    xyzCutoffY: true,
    xyzMinimumMonths: true,
  })
  .partial()
  .strict();

/** Segment settings to try; left out or null keeps the stored value. */
export type SegmentSettingsTrial = {
  [K in keyof z.input<typeof segmentSettingsSchema>]?: Settings[K] | null;
};

/**
 * The settings as they would be with some segment settings changed: each checked as an update
 * would be, and the rules between them too, on the result. Nothing is stored.
 */
export function withTrialSegmentSettings(stored: Settings, trial: SegmentSettingsTrial): Settings {
  const present = dropNulls(trial);
  const parsed = parseInput(segmentSettingsSchema, present) as Partial<Settings>;
  // Only the settings tried: the schema would otherwise fill the others with their defaults.
  const tried = Object.fromEntries(Object.keys(present).map((key) => [key, parsed[key as keyof Settings]]));
  const merged = { ...stored, ...tried } as Settings;
  const issues = settingsIssues(merged);
  if (issues.length) throw new ValidationError(issues);
  return merged;
}

/** Changes settings (admins only); null restores a default. */
export async function updateSettings(
  { db, principal }: ServiceContext,
  patch: SettingsPatch,
): Promise<Settings> {
  assertAdmin(principal);
  const present = dropNulls(patch);
  // Only the settings sent: the schema would otherwise fill the others with their defaults.
  const parsed = parseInput(settingsSchema.partial().strict(), present) as Partial<Settings>;
  const changes = Object.fromEntries(Object.keys(present).map((key) => [key, parsed[key as keyof Settings]]));
  const resets = Object.entries(patch)
    .filter(([, value]) => value === null)
    .map(([key]) => key);
  return db.prisma.$transaction(async (tx) => {
    const before = await readSettings(tx);
    const restored = Object.fromEntries(resets.map((key) => [key, defaultSettings[key as keyof Settings]]));
    const issues = settingsIssues({ ...before, ...restored, ...changes } as Settings);
    if (issues.length) throw new ValidationError(issues);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      const data = { value: value as Prisma.InputJsonValue, updatedById: actorId(principal) };
      await tx.setting.upsert({ where: { key }, create: { key, ...data }, update: data });
    }
    if (resets.length) await tx.setting.deleteMany({ where: { key: { in: resets } } });
    const after = await readSettings(tx);
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
