import { ForbiddenError, ValidationError } from "../api/errors.ts";
import { getSettings, updateSettings } from "../api/services/settings.ts";
import { builder } from "./builder.ts";
import { SegmentMeasureEnum } from "./segments.ts";

const Settings = builder.objectRef<Awaited<ReturnType<typeof getSettings>>>("Settings").implement({
  fields: (t) => ({
    personalDataReviewMonths: t.exposeInt("personalDataReviewMonths", {
      description: "Personal facts not confirmed for this many months are listed for review.",
    }),
    segmentMeasure: t.field({
      type: SegmentMeasureEnum,
      description: "What ABC ranks by.",
      resolve: (settings) => settings.segmentMeasure,
    }),
    segmentWindowMonths: t.exposeInt("segmentWindowMonths", {
      description: "Complete months, ending last month, that ABC-XYZ looks at.",
    }),
    abcCutoffA: t.exposeFloat("abcCutoffA", { description: "Cumulative share up to which accounts are A." }),
    abcCutoffB: t.exposeFloat("abcCutoffB", { description: "Cumulative share up to which accounts are B." }),
    xyzCutoffX: t.exposeFloat("xyzCutoffX", {
      description: "Coefficient of variation up to which demand is X.",
    }),
    xyzCutoffY: t.exposeFloat("xyzCutoffY", {
      description: "Coefficient of variation up to which demand is Y.",
    }),
    xyzMinimumMonths: t.exposeInt("xyzMinimumMonths", {
      description: "Months of history below which an account counts as Z.",
    }),
    keyAccountCap: t.exposeInt("keyAccountCap", {
      description: "Key accounts per manager before a workload warning.",
    }),
    atRiskSilenceFloorDays: t.exposeInt("atRiskSilenceFloorDays", {
      description: "At risk when silent longer than this many days and …",
    }),
    atRiskGapMultiplier: t.exposeFloat("atRiskGapMultiplier", {
      description: "… longer than this many times the account's median gap between purchases.",
    }),
    atRiskRevenueDropPercent: t.exposeFloat("atRiskRevenueDropPercent", {
      description:
        "At risk when the last 3 months' revenue fell by more than this against the same months a year before.",
    }),
    lostAfterMonths: t.exposeInt("lostAfterMonths", {
      description: "Lost after this many months without a purchase.",
    }),
  }),
});

builder.queryField("settings", (t) =>
  t.field({ type: Settings, resolve: (_root, _args, context) => getSettings(context) }),
);

const UpdateSettingsInput = builder.inputType("UpdateSettingsInput", {
  description: "Only the settings sent change; null restores the default.",
  fields: (t) => ({
    personalDataReviewMonths: t.int(),
    segmentMeasure: t.field({ type: SegmentMeasureEnum }),
    segmentWindowMonths: t.int(),
    abcCutoffA: t.float(),
    abcCutoffB: t.float(),
    xyzCutoffX: t.float(),
    xyzCutoffY: t.float(),
    xyzMinimumMonths: t.int(),
    keyAccountCap: t.int(),
    atRiskSilenceFloorDays: t.int(),
    atRiskGapMultiplier: t.float(),
    atRiskRevenueDropPercent: t.float(),
    lostAfterMonths: t.int(),
  }),
});

builder.mutationField("updateSettings", (t) =>
  t.field({
    type: Settings,
    description: "Admins only.",
    args: { input: t.arg({ type: UpdateSettingsInput, required: true }) },
    errors: { types: [ValidationError, ForbiddenError] },
    resolve: (_root, { input }, context) => updateSettings(context, input),
  }),
);
