import {
  accountEventKinds,
  createAccountEvent,
  removeAccountEvent,
  satisfactionLevels,
  updateAccountEvent,
} from "../api/services/account-events.ts";
import { Account, accountOrThrow } from "./accounts.ts";
import { builder } from "./builder.ts";
import { Contact, contactById } from "./contacts.ts";
import { dossierWriteErrors } from "./errors.ts";
import { decodeId, decodeOptionalId } from "./ids.ts";

export const AccountEventKindEnum = builder.enumType("AccountEventKind", { values: accountEventKinds });
export const SatisfactionEnum = builder.enumType("Satisfaction", { values: satisfactionLevels });

export const AccountEvent = builder.prismaNode("AccountEvent", {
  description:
    "One entry in the relationship history: a delivery, meeting, complaint, tender, win, loss, survey…",
  id: { field: "id" },
  nullable: true,
  authScopes: { readAccounts: true },
  fields: (t) => ({
    account: t.field({
      type: Account,
      resolve: (event, _args, context) => accountOrThrow(context, event.accountId),
    }),
    kind: t.expose("kind", { type: AccountEventKindEnum }),
    occurredAt: t.expose("occurredAt", { type: "DateTime" }),
    title: t.exposeString("title"),
    details: t.exposeString("details", { nullable: true }),
    value: t.exposeFloat("value", { nullable: true }),
    currency: t.exposeString("currency", { nullable: true }),
    contact: t.field({
      type: Contact,
      nullable: true,
      resolve: (event, _args, context) => (event.contactId ? contactById(context, event.contactId) : null),
    }),
    resolvedAt: t.expose("resolvedAt", {
      type: "DateTime",
      nullable: true,
      description: "Complaints: open while null.",
    }),
    resolution: t.exposeString("resolution", { nullable: true }),
    reason: t.exposeString("reason", { nullable: true, description: "Wins and losses: why." }),
    winner: t.exposeString("winner", { nullable: true, description: "Losses: who won." }),
    satisfaction: t.expose("satisfaction", { type: SatisfactionEnum, nullable: true }),
    version: t.exposeInt("version"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

export const AccountEventFilter = builder.inputType("AccountEventFilter", {
  fields: (t) => ({
    kinds: t.field({ type: [AccountEventKindEnum] }),
    from: t.field({ type: "DateTime", description: "On or after." }),
    to: t.field({ type: "DateTime", description: "On or before." }),
  }),
});

const CreateAccountEventInput = builder.inputType("CreateAccountEventInput", {
  fields: (t) => ({
    accountId: t.id({ required: true }),
    kind: t.field({ type: AccountEventKindEnum, required: true }),
    occurredAt: t.field({ type: "DateTime", required: true }),
    title: t.string({ required: true }),
    details: t.string(),
    value: t.float(),
    currency: t.string({ description: "ISO 4217, required with a value." }),
    contactId: t.id(),
    resolvedAt: t.field({ type: "DateTime" }),
    resolution: t.string(),
    reason: t.string({ description: "Required for WIN and LOSS." }),
    winner: t.string({ description: "Required for LOSS." }),
    satisfaction: t.field({ type: SatisfactionEnum, description: "Required for SURVEY." }),
  }),
});

const UpdateAccountEventInput = builder.inputType("UpdateAccountEventInput", {
  description: "Only the fields sent change; null clears an optional field.",
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    kind: t.field({ type: AccountEventKindEnum }),
    occurredAt: t.field({ type: "DateTime" }),
    title: t.string(),
    details: t.string(),
    value: t.float(),
    currency: t.string(),
    contactId: t.id(),
    resolvedAt: t.field({ type: "DateTime" }),
    resolution: t.string(),
    reason: t.string(),
    winner: t.string(),
    satisfaction: t.field({ type: SatisfactionEnum }),
  }),
});

const RemoveAccountEventInput = builder.inputType("RemoveAccountEventInput", {
  fields: (t) => ({ id: t.id({ required: true }), version: t.int({ required: true }) }),
});

builder.mutationFields((t) => ({
  createAccountEvent: t.field({
    type: AccountEvent,
    args: { input: t.arg({ type: CreateAccountEventInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: (_root, { input }, context) =>
      createAccountEvent(context, {
        ...input,
        accountId: decodeId(input.accountId, "Account"),
        contactId: decodeOptionalId(input.contactId, "Contact"),
      }),
  }),
  updateAccountEvent: t.field({
    type: AccountEvent,
    args: { input: t.arg({ type: UpdateAccountEventInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: (_root, { input }, context) =>
      updateAccountEvent(context, {
        ...(input as Record<string, unknown>),
        id: decodeId(input.id, "AccountEvent"),
        version: input.version,
        contactId: decodeOptionalId(input.contactId, "Contact"),
      }),
  }),
  removeAccountEvent: t.field({
    type: "Boolean",
    args: { input: t.arg({ type: RemoveAccountEventInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: async (_root, { input }, context) => {
      await removeAccountEvent(context, {
        id: decodeId(input.id, "AccountEvent"),
        version: input.version,
      });
      return true;
    },
  }),
}));
