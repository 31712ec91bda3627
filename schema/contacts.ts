import type { GraphQLResolveInfo } from "graphql";
import { type AccountTeam, canSeePersonalData } from "../api/auth/permissions.ts";
import { NotFoundError, OrgChartCycleError, PersonalDataErasedError } from "../api/errors.ts";
import {
  accountTeams,
  attitudes,
  characterTypes,
  contactChannels,
  contactKeyColumns,
  contactsById,
  contactsOfAccounts,
  contactsReportingTo,
  createContact,
  decisionRoles,
  isContactRow,
  moveContact,
  removeContact,
  updateContact,
} from "../api/services/contacts.ts";
import {
  confirmContactPersonalFacts,
  formatBirthday,
  legalBases,
  personalFactsOfContacts,
  setContactPersonalFacts,
} from "../api/services/personal-data.ts";
import type { ContactPersonalFacts, Contact as ContactRow } from "../prisma/generated/sqlite/client.ts";
import { Account, accountOrThrow } from "./accounts.ts";
import { builder } from "./builder.ts";
import { readsColumns, selectedColumns } from "./columns.ts";
import { reportsCost } from "./complexity.ts";
import { type Context, perRequestLoader } from "./context.ts";
import { dossierWriteErrors } from "./errors.ts";
import { decodeId, decodeOptionalId } from "./ids.ts";

export const DecisionRoleEnum = builder.enumType("DecisionRole", { values: decisionRoles });
export const AttitudeEnum = builder.enumType("Attitude", {
  description: "The contact's attitude to us.",
  values: attitudes,
});
export const CharacterTypeEnum = builder.enumType("CharacterType", { values: characterTypes });
export const ContactChannelEnum = builder.enumType("ContactChannel", { values: contactChannels });
export const LegalBasisEnum = builder.enumType("LegalBasis", {
  description: "The GDPR Art. 6 basis on which the personal facts are held.",
  values: legalBases,
});

/** How to pitch to each character type, after the Portuguese article on key accounts. */
const pitchAdvice: Record<(typeof characterTypes)[number], string> = {
  DOMINANT:
    "Often a manager who likes to buy on exclusive terms: offer exclusivity, show you understand the client's status and the specifics of its business.",
  PEOPLE_ORIENTED:
    "Focuses on people, recommendations and relationships: cite similar projects at well-known companies and introduce people willing to recommend us.",
  DETAIL_ORIENTED:
    "Attentive to numbers and details (often finance or technical): bring statistics and the financial result of working with us, in figures.",
};

const PersonalFacts = builder
  .objectRef<{
    contactId: string;
    birthYear: number | null;
    birthMonth: number | null;
    birthDay: number | null;
    hobbies: string | null;
    family: string | null;
    values: string | null;
    notes: string | null;
    source: string;
    collectedAt: Date;
    legalBasis: (typeof legalBases)[number];
    subjectInformedAt: Date | null;
    confirmedAt: Date;
  }>("PersonalFacts")
  .implement({
    description:
      "Personal facts about a contact, shown only to the account team, admins and keys with the personal_data scope; every read is logged.",
    fields: (t) => ({
      birthday: t.string({
        nullable: true,
        description: "YYYY-MM-DD, or --MM-DD when the year is unknown.",
        resolve: (facts) => formatBirthday(facts),
      }),
      hobbies: t.exposeString("hobbies", { nullable: true }),
      family: t.exposeString("family", { nullable: true }),
      values: t.exposeString("values", { nullable: true }),
      notes: t.exposeString("notes", { nullable: true }),
      source: t.exposeString("source", { description: "Where the facts came from (GDPR Art. 14)." }),
      collectedAt: t.expose("collectedAt", { type: "DateTime" }),
      legalBasis: t.expose("legalBasis", { type: LegalBasisEnum }),
      subjectInformedAt: t.expose("subjectInformedAt", {
        type: "DateTime",
        nullable: true,
        description: "When the person was told we hold these facts; null if not yet.",
      }),
      confirmedAt: t.expose("confirmedAt", {
        type: "DateTime",
        description: "Last confirmed as right and still needed (retention review).",
      }),
    }),
  });

/**
 * Read straight from the driver (api/services/contacts.ts), a batch per request: a page's
 * contacts cost one statement, their managers, reports, teams and personal facts one each.
 */
export const Contact = builder.objectRef<ContactRow>("Contact");

/** The reports of a contact are grouped by whom they report to. */
const reportingColumns = [...contactKeyColumns, "reportsToId"];

/** Loaders of one request: what its fields ask for in the same tick is read in one statement. */
const contactLoaders = {
  ofAccounts: (context: Context, columns: readonly string[]) =>
    perRequestLoader<string, ContactRow[]>(context, `contactsOfAccounts:${columns}`, (ids) =>
      contactsOfAccounts(context, ids, { columns }),
    ),
  topOfAccounts: (context: Context, columns: readonly string[]) =>
    perRequestLoader<string, ContactRow[]>(context, `topContactsOfAccounts:${columns}`, (ids) =>
      contactsOfAccounts(context, ids, { topOnly: true, columns }),
    ),
  reportingTo: (context: Context, columns: readonly string[]) =>
    perRequestLoader<string, ContactRow[]>(context, `contactsReportingTo:${columns}`, (ids) =>
      contactsReportingTo(context, ids, columns),
    ),
  byId: (context: Context) =>
    perRequestLoader<string, ContactRow | null>(context, "contactsById", (ids) => contactsById(context, ids)),
  teams: (context: Context) =>
    perRequestLoader<string, AccountTeam | null>(context, "accountTeams", (ids) =>
      accountTeams(context, ids),
    ),
  personalFacts: (context: Context) =>
    perRequestLoader<string, ContactPersonalFacts | null>(context, "personalFacts", (ids) =>
      personalFactsOfContacts(context, ids),
    ),
};

/**
 * An account's contacts, most influential first (only those who report to nobody with
 * `topOnly`), with the columns the fields selected beneath `info` read.
 */
export function contactsOf(
  context: Context,
  accountId: string,
  info: GraphQLResolveInfo,
  topOnly = false,
): Promise<ContactRow[]> {
  const columns = selectedColumns(info, "Contact", contactKeyColumns);
  return (topOnly ? contactLoaders.topOfAccounts : contactLoaders.ofAccounts)(context, columns).load(
    accountId,
  );
}

/** A contact by ID (null when there is none), read with the request's others. */
export function contactById(context: Context, id: string): Promise<ContactRow | null> {
  return contactLoaders.byId(context).load(id);
}

/** A contact that must exist (a record that points at it holds its ID). */
export async function contactOrThrow(context: Context, id: string): Promise<ContactRow> {
  const contact = await contactById(context, id);
  if (!contact) throw new NotFoundError("Contact", id);
  return contact;
}

/** Who works an account (its owner and team), read with the request's other accounts; null for none. */
export function accountTeamOf(context: Context, accountId: string): Promise<AccountTeam | null> {
  return contactLoaders.teams(context).load(accountId);
}

/** Whether the caller may see the personal facts of a contact of this account. */
async function maySeePersonalFacts(context: Context, accountId: string): Promise<boolean> {
  const team = await accountTeamOf(context, accountId);
  return canSeePersonalData(context.principal, team ?? { ownerId: null, team: [] });
}

builder.node(Contact, {
  description: "A member of the client's decision-making unit.",
  id: { resolve: (contact) => contact.id },
  // No scope check per field: every way here checks the right to read accounts first
  // (test/security/read-paths.test.ts walks them).
  loadMany: (ids, context) => contactsById(context, ids),
  isTypeOf: (value) => isContactRow(value),
  fields: (t) => ({
    account: t.field({
      type: Account,
      ...readsColumns("accountId"),
      resolve: (contact, _args, context) => accountOrThrow(context, contact.accountId),
    }),
    name: t.exposeString("name"),
    title: t.exposeString("title", { nullable: true }),
    department: t.exposeString("department", { nullable: true }),
    decisionRole: t.expose("decisionRole", { type: DecisionRoleEnum }),
    influence: t.exposeInt("influence", { description: "1 (little) to 5 (decisive)." }),
    attitude: t.expose("attitude", { type: AttitudeEnum }),
    characterType: t.expose("characterType", { type: CharacterTypeEnum, nullable: true }),
    pitchAdvice: t.string({
      nullable: true,
      ...readsColumns("characterType"),
      description: "How to pitch to this character type.",
      resolve: (contact) => (contact.characterType ? pitchAdvice[contact.characterType] : null),
    }),
    reportsTo: t.field({
      type: Contact,
      nullable: true,
      ...readsColumns("reportsToId"),
      resolve: (contact, _args, context) =>
        contact.reportsToId ? contactById(context, contact.reportsToId) : null,
    }),
    reports: t.field({
      type: [Contact],
      ...readsColumns("id"),
      description: "The contacts who report to this one.",
      complexity: reportsCost,
      resolve: (contact, _args, context, info) =>
        contactLoaders
          .reportingTo(context, selectedColumns(info, "Contact", reportingColumns))
          .load(contact.id),
    }),
    email: t.exposeString("email", { nullable: true }),
    phone: t.exposeString("phone", { nullable: true }),
    preferredChannel: t.expose("preferredChannel", { type: ContactChannelEnum, nullable: true }),
    lastContactedAt: t.expose("lastContactedAt", { type: "DateTime", nullable: true }),
    erasedAt: t.expose("erasedAt", {
      type: "DateTime",
      nullable: true,
      description: "Set when the person's data was erased on request.",
    }),
    version: t.exposeInt("version"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    personalFactsRestricted: t.boolean({
      ...readsColumns("accountId"),
      description: "True when the caller may not see this contact's personal facts (they then read as null).",
      resolve: async (contact, _args, context) => !(await maySeePersonalFacts(context, contact.accountId)),
    }),
    personalFacts: t.field({
      type: PersonalFacts,
      nullable: true,
      ...readsColumns("id", "accountId"),
      description: "Null when none are held, or when personalFactsRestricted is true.",
      resolve: async (contact, _args, context) => {
        const [facts, allowed] = await Promise.all([
          contactLoaders.personalFacts(context).load(contact.id),
          maySeePersonalFacts(context, contact.accountId),
        ]);
        if (!facts || !allowed) return null;
        await context.personalDataReads.record(contact.id);
        return facts;
      },
    }),
  }),
});

const contactErrors = [...dossierWriteErrors, OrgChartCycleError, PersonalDataErasedError];

const CreateContactInput = builder.inputType("CreateContactInput", {
  fields: (t) => ({
    accountId: t.id({ required: true }),
    name: t.string({ required: true }),
    title: t.string(),
    department: t.string(),
    decisionRole: t.field({ type: DecisionRoleEnum, required: true }),
    influence: t.int({ required: true, description: "1 to 5." }),
    attitude: t.field({ type: AttitudeEnum, required: true }),
    characterType: t.field({ type: CharacterTypeEnum }),
    reportsToId: t.id(),
    email: t.string(),
    phone: t.string(),
    preferredChannel: t.field({ type: ContactChannelEnum }),
    lastContactedAt: t.field({ type: "DateTime" }),
  }),
});

const UpdateContactInput = builder.inputType("UpdateContactInput", {
  description: "Only the fields sent change; null clears an optional field.",
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    name: t.string(),
    title: t.string(),
    department: t.string(),
    decisionRole: t.field({ type: DecisionRoleEnum }),
    influence: t.int(),
    attitude: t.field({ type: AttitudeEnum }),
    characterType: t.field({ type: CharacterTypeEnum }),
    email: t.string(),
    phone: t.string(),
    preferredChannel: t.field({ type: ContactChannelEnum }),
    lastContactedAt: t.field({ type: "DateTime" }),
  }),
});

const MoveContactInput = builder.inputType("MoveContactInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    reportsToId: t.id({ description: "The new manager; null for the top of the org chart." }),
  }),
});

const RemoveInput = builder.inputType("RemoveContactInput", {
  fields: (t) => ({ id: t.id({ required: true }), version: t.int({ required: true }) }),
});

const SetPersonalFactsInput = builder.inputType("SetPersonalFactsInput", {
  description:
    "Replaces the contact's personal facts. Source, collection date and legal basis are required (GDPR Art. 14).",
  fields: (t) => ({
    contactId: t.id({ required: true }),
    birthday: t.string({ description: "YYYY-MM-DD, or --MM-DD without the year." }),
    hobbies: t.string(),
    family: t.string(),
    values: t.string(),
    notes: t.string(),
    source: t.string({ required: true }),
    collectedAt: t.field({ type: "DateTime", required: true }),
    legalBasis: t.field({ type: LegalBasisEnum, required: true }),
    subjectInformedAt: t.field({ type: "DateTime" }),
  }),
});

builder.mutationFields((t) => ({
  createContact: t.field({
    type: Contact,
    args: { input: t.arg({ type: CreateContactInput, required: true }) },
    errors: { types: contactErrors },
    resolve: (_root, { input }, context) =>
      createContact(context, {
        ...input,
        accountId: decodeId(input.accountId, "Account"),
        reportsToId: decodeOptionalId(input.reportsToId, "Contact"),
      }),
  }),
  updateContact: t.field({
    type: Contact,
    args: { input: t.arg({ type: UpdateContactInput, required: true }) },
    errors: { types: contactErrors },
    resolve: (_root, { input }, context) =>
      updateContact(context, {
        ...(input as Record<string, unknown>),
        id: decodeId(input.id, "Contact"),
        version: input.version,
      }),
  }),
  moveContact: t.field({
    type: Contact,
    description: "Moves a contact in the org chart; a move that would make a cycle is refused.",
    args: { input: t.arg({ type: MoveContactInput, required: true }) },
    errors: { types: contactErrors },
    resolve: (_root, { input }, context) =>
      moveContact(context, {
        id: decodeId(input.id, "Contact"),
        version: input.version,
        reportsToId: decodeOptionalId(input.reportsToId, "Contact") ?? null,
      }),
  }),
  removeContact: t.field({
    type: "Boolean",
    description: "Removes a contact; the people who reported to them move up to their manager.",
    args: { input: t.arg({ type: RemoveInput, required: true }) },
    errors: { types: contactErrors },
    resolve: async (_root, { input }, context) => {
      await removeContact(context, {
        id: decodeId(input.id, "Contact"),
        version: input.version,
      });
      return true;
    },
  }),
  setContactPersonalFacts: t.field({
    type: Contact,
    args: { input: t.arg({ type: SetPersonalFactsInput, required: true }) },
    errors: { types: contactErrors },
    resolve: async (_root, { input }, context) => {
      const facts = await setContactPersonalFacts(context, {
        ...input,
        contactId: decodeId(input.contactId, "Contact"),
      });
      return context.db.prisma.contact.findUniqueOrThrow({ where: { id: facts.contactId } });
    },
  }),
  confirmContactPersonalFacts: t.field({
    type: Contact,
    description: "Confirms the personal facts are still right and needed (retention review).",
    args: { contactId: t.arg.id({ required: true }) },
    errors: { types: contactErrors },
    resolve: async (_root, args, context) => {
      const facts = await confirmContactPersonalFacts(context, decodeId(args.contactId, "Contact"));
      return context.db.prisma.contact.findUniqueOrThrow({ where: { id: facts.contactId } });
    },
  }),
}));
