/** Key-account selection: the rule's candidates and their confirmation (api/services/key-accounts.ts). */
import { ForbiddenError, InvalidIdError, NotFoundError } from "../api/errors.ts";
import type { CriteriaSetWithCriteria } from "../api/services/criteria-sets.ts";
import {
  candidateReason,
  confirmKeyAccounts,
  type KeyAccountCandidates,
  keyAccountCandidates,
} from "../api/services/key-accounts.ts";
import type { RankedAccount } from "../api/services/score-ranking.ts";
import { Account } from "./accounts.ts";
import { builder } from "./builder.ts";
import { analysisCost } from "./complexity.ts";
import { perRequest } from "./context.ts";
import { CriteriaSet, criteriaSetFor } from "./criteria-sets.ts";
import { writeErrors } from "./errors.ts";
import { decodeId } from "./ids.ts";
import { RankedAccountInterface, type RankedShape } from "./score-ranking.ts";

const KeyAccountChangeEnum = builder.enumType("KeyAccountChange", { values: ["ADD", "DROP"] as const });

type CandidateShape = RankedShape & { change: "ADD" | "DROP" };

const KeyAccountCandidate = builder.objectRef<CandidateShape>("KeyAccountCandidate").implement({
  interfaces: [RankedAccountInterface],
  description: "An account the set's rule would make key (ADD) or no longer key (DROP).",
  fields: (t) => ({
    change: t.field({ type: KeyAccountChangeEnum, resolve: (c) => c.change }),
    reason: t.string({ resolve: (c) => candidateReason(c.set, c.ranked, c.keyThreshold, c.change) }),
  }),
});

type CandidatesShape = KeyAccountCandidates & { set: CriteriaSetWithCriteria };

function candidateShape(candidates: CandidatesShape, ranked: RankedAccount, change: "ADD" | "DROP") {
  return { set: candidates.set, ranked, keyThreshold: candidates.keyThreshold, change };
}

const KeyAccountCandidatesRef = builder.objectRef<CandidatesShape>("KeyAccountCandidates").implement({
  description:
    "What the set's rule would change in today's key-account flags; confirmKeyAccounts applies it.",
  fields: (t) => ({
    criteriaSet: t.field({ type: CriteriaSet, resolve: (c) => c.set }),
    keyThreshold: t.float({ nullable: true, resolve: (c) => c.keyThreshold }),
    toAdd: t.field({
      type: [KeyAccountCandidate],
      resolve: (c) => c.toAdd.map((ranked) => candidateShape(c, ranked, "ADD")),
    }),
    toDrop: t.field({
      type: [KeyAccountCandidate],
      resolve: (c) => c.toDrop.map((ranked) => candidateShape(c, ranked, "DROP")),
    }),
  }),
});

builder.queryField("keyAccountCandidates", (t) =>
  t.field({
    type: KeyAccountCandidatesRef,
    complexity: analysisCost.keyAccountCandidates,
    description:
      "Accounts the rule of a criteria set (the active one by default) would add or drop as key accounts.",
    authScopes: { readAccounts: true },
    errors: { types: [NotFoundError, InvalidIdError, ForbiddenError], directResult: true },
    args: { criteriaSetId: t.arg.id() },
    resolve: async (_root, args, context) => {
      const set = await criteriaSetFor(context, args.criteriaSetId);
      const candidates = await perRequest(context, `keyAccountCandidates:${set.id}`, () =>
        keyAccountCandidates(context, set),
      );
      return { set, ...candidates };
    },
  }),
);

const ConfirmKeyAccountsInput = builder.inputType("ConfirmKeyAccountsInput", {
  fields: (t) => ({
    criteriaSetId: t.id({
      description: "The set whose rule proposed the change; the active one by default.",
    }),
    add: t.idList({ description: "Candidates to make key." }),
    drop: t.idList({ description: "Candidates to make no longer key." }),
  }),
});

builder.mutationFields((t) => ({
  confirmKeyAccounts: t.field({
    type: [Account],
    description: "Admins: applies chosen keyAccountCandidates (each must still be one); audited per account.",
    args: { input: t.arg({ type: ConfirmKeyAccountsInput, required: true }) },
    errors: { types: writeErrors },
    resolve: async (_root, { input }, context) => {
      const set = await criteriaSetFor(context, input.criteriaSetId);
      return confirmKeyAccounts(context, set, {
        add: (input.add ?? []).map((id) => decodeId(id, "Account")),
        drop: (input.drop ?? []).map((id) => decodeId(id, "Account")),
      });
    },
  }),
}));
