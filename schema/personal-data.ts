import { ForbiddenError, InvalidIdError, NotFoundError } from "../api/errors.ts";
import {
  eraseContactPersonalData,
  exportContactData,
  personalDataReviewWhere,
  upcomingBirthdays,
} from "../api/services/personal-data.ts";
import { builder } from "./builder.ts";
import { analysisCost } from "./complexity.ts";
import { Contact, contactOrThrow } from "./contacts.ts";
import { decodeId } from "./ids.ts";
import { offsetPage } from "./offset-pages.ts";

const UpcomingBirthday = builder
  .objectRef<Awaited<ReturnType<typeof upcomingBirthdays>>[number]>("UpcomingBirthday")
  .implement({
    fields: (t) => ({
      contact: t.field({
        type: Contact,
        resolve: async (birthday, _args, context) => contactOrThrow(context, birthday.contactId),
      }),
      date: t.string({
        description: "The date of the next birthday, YYYY-MM-DD.",
        resolve: (birthday) => birthday.date.toISOString().slice(0, 10),
      }),
      daysUntil: t.exposeInt("daysUntil", { description: "0 is today." }),
      turning: t.exposeInt("turning", {
        nullable: true,
        description: "The age reached, when the year is known.",
      }),
    }),
  });

builder.queryField("upcomingBirthdays", (t) =>
  t.field({
    type: [UpcomingBirthday],
    complexity: analysisCost.upcomingBirthdays,
    description:
      "Birthdays of contacts in the next `days` days, soonest first, over the accounts whose personal facts the caller may see.",
    authScopes: { readAccounts: true },
    args: { days: t.arg.int({ defaultValue: 30, required: true }) },
    resolve: (_root, args, context) => upcomingBirthdays(context, args.days, context.personalDataReads),
  }),
);

builder.queryField("personalDataDueForReview", (t) =>
  t.connection(
    {
      type: Contact,
      description:
        "Contacts whose personal facts were not confirmed within the review period (setting personalDataReviewMonths), oldest first.",
      authScopes: { readAccounts: true },
      resolve: async (_parent, args, context) => {
        const where = await personalDataReviewWhere(context);
        // A caller who may see no one's personal facts gets an empty page.
        if (!where)
          return offsetPage(
            args,
            async () => [],
            async () => 0,
          );
        return offsetPage(
          args,
          async ({ limit, offset }) => {
            const contacts = await context.db.prisma.contact.findMany({
              where,
              orderBy: [{ personalFacts: { confirmedAt: "asc" } }, { id: "asc" }],
              skip: offset,
              take: limit,
            });
            await context.personalDataReads.recordAll(
              contacts.map((contact) => contact.id),
              "review",
            );
            return contacts;
          },
          () => context.db.prisma.contact.count({ where }),
        );
      },
    },
    {
      fields: (c) => ({ totalCount: c.int({ resolve: (connection) => connection.totalCount() }) }),
    },
  ),
);

builder.prismaObject("PersonalDataAccess", {
  description: "One read or export of a contact's personal facts.",
  authScopes: { admin: true },
  fields: (t) => ({
    contact: t.field({
      type: Contact,
      resolve: async (access, _args, context) => contactOrThrow(context, access.contactId),
    }),
    actorKind: t.exposeString("actorKind"),
    actorLabel: t.exposeString("actorLabel"),
    purpose: t.exposeString("purpose", { description: "read, export, birthdays or review." }),
    at: t.expose("at", { type: "DateTime" }),
  }),
});

builder.queryField("personalDataAccessLog", (t) =>
  t.prismaConnection({
    type: "PersonalDataAccess",
    cursor: "id",
    description: "Who read or exported whose personal facts, newest first. Admins only.",
    authScopes: { admin: true },
    args: { contactId: t.arg.id() },
    totalCount: (_parent, args, context) =>
      context.db.prisma.personalDataAccess.count({
        where: args.contactId ? { contactId: decodeId(args.contactId, "Contact") } : {},
      }),
    resolve: (query, _parent, args, context) =>
      context.db.prisma.personalDataAccess.findMany({
        ...query,
        where: args.contactId ? { contactId: decodeId(args.contactId, "Contact") } : {},
        orderBy: [{ at: "desc" }, { id: "desc" }],
      }),
  }),
);

const ContactDataExport = builder
  .objectRef<Awaited<ReturnType<typeof exportContactData>>>("ContactDataExport")
  .implement({
    description: "Everything held about one person (GDPR subject access), as JSON documents.",
    fields: (t) => ({
      exportedAt: t.expose("exportedAt", { type: "DateTime" }),
      person: t.expose("person", { type: "JSON", description: "The contact row, with account and manager." }),
      personalFacts: t.expose("personalFacts", { type: "JSON", nullable: true }),
      historyEvents: t.expose("historyEvents", {
        type: "JSON",
        description: "History events linked to the person.",
      }),
      auditEntries: t.expose("auditEntries", {
        type: "JSON",
        description: "Every recorded change to the person.",
      }),
      accessLog: t.expose("accessLog", {
        type: "JSON",
        description: "Every read and export of their personal facts.",
      }),
    }),
  });

const dataRequestErrors = [InvalidIdError, NotFoundError, ForbiddenError];

builder.queryField("exportContactData", (t) =>
  t.field({
    type: ContactDataExport,
    description:
      "Subject access: everything held about a contact. Admins, or keys with personal_data and write.",
    args: { contactId: t.arg.id({ required: true }) },
    errors: { types: dataRequestErrors },
    resolve: (_root, args, context) => exportContactData(context, decodeId(args.contactId, "Contact")),
  }),
);

builder.mutationField("eraseContactPersonalData", (t) =>
  t.field({
    type: Contact,
    description:
      "Erases a person's personal data everywhere (facts, name, e-mail, phone, mentions in history and audit snapshots) and keeps the business record. Admins, or keys with personal_data and write.",
    args: { contactId: t.arg.id({ required: true }) },
    errors: { types: dataRequestErrors },
    resolve: (_root, args, context) => eraseContactPersonalData(context, decodeId(args.contactId, "Contact")),
  }),
);
