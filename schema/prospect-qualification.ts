/** Three P, the qualification of a prospect (api/services/prospect-qualification.ts). */
import { qualificationAnswers, qualifyProspect } from "../api/services/prospect-qualification.ts";
import { Account, relatedOf } from "./accounts.ts";
import { builder } from "./builder.ts";
import { dossierWriteErrors } from "./errors.ts";
import { decodeId } from "./ids.ts";

const QualificationAnswerEnum = builder.enumType("QualificationAnswer", { values: qualificationAnswers });

builder.prismaObject("ProspectQualification", {
  description:
    "Three P: does the prospect need what we sell, can it pay, and are we talking to whoever decides?",
  authScopes: { readAccounts: true },
  fields: (t) => ({
    need: t.field({ type: QualificationAnswerEnum, resolve: (q) => q.need }),
    needNote: t.exposeString("needNote", { nullable: true }),
    solvency: t.field({ type: QualificationAnswerEnum, resolve: (q) => q.solvency }),
    solvencyNote: t.exposeString("solvencyNote", { nullable: true }),
    authority: t.field({
      type: QualificationAnswerEnum,
      description: "Authority to decide.",
      resolve: (q) => q.authority,
    }),
    authorityNote: t.exposeString("authorityNote", { nullable: true }),
    updatedBy: t.exposeString("updatedByLabel", { nullable: true }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    version: t.exposeInt("version"),
  }),
});

builder.objectField(Account, "qualification", (t) =>
  t.prismaField({
    type: "ProspectQualification",
    nullable: true,
    description: "Three P, for prospects.",
    resolve: (query, account, _args, context) => relatedOf(context, account.id).qualification(query),
  }),
);

const QualifyProspectInput = builder.inputType("QualifyProspectInput", {
  fields: (t) => ({
    accountId: t.id({ required: true }),
    version: t.int({ description: "The qualification's version you read; leave out for the first one." }),
    need: t.field({ type: QualificationAnswerEnum }),
    needNote: t.string(),
    solvency: t.field({ type: QualificationAnswerEnum }),
    solvencyNote: t.string(),
    authority: t.field({ type: QualificationAnswerEnum }),
    authorityNote: t.string(),
  }),
});

builder.mutationFields((t) => ({
  qualifyProspect: t.prismaField({
    type: "ProspectQualification",
    description: "Three P of a prospect: need, solvency, authority to decide (send only what changes).",
    args: { input: t.arg({ type: QualifyProspectInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: (_query, _root, { input }, context) =>
      qualifyProspect(context, {
        ...input,
        accountId: decodeId(input.accountId, "Account"),
      }),
  }),
}));
