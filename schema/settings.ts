import { ForbiddenError, ValidationError } from "../api/errors.ts";
import { getSettings, updateSettings } from "../api/services/settings.ts";
import { builder } from "./builder.ts";

const Settings = builder.objectRef<Awaited<ReturnType<typeof getSettings>>>("Settings").implement({
  fields: (t) => ({
    personalDataReviewMonths: t.exposeInt("personalDataReviewMonths", {
      description: "Personal facts not confirmed for this many months are listed for review.",
    }),
  }),
});

builder.queryField("settings", (t) =>
  t.field({ type: Settings, resolve: (_root, _args, context) => getSettings(context.db.prisma) }),
);

const UpdateSettingsInput = builder.inputType("UpdateSettingsInput", {
  description: "Only the settings sent change; null restores the default.",
  fields: (t) => ({ personalDataReviewMonths: t.int() }),
});

builder.mutationField("updateSettings", (t) =>
  t.field({
    type: Settings,
    description: "Admins only.",
    args: { input: t.arg({ type: UpdateSettingsInput, required: true }) },
    errors: { types: [ValidationError, ForbiddenError] },
    resolve: (_root, { input }, context) => updateSettings(context.db.prisma, context.principal, input),
  }),
);
