/**
 * Demo scoring: the article's ten criteria in an active default set and a second set to try beside
 * it, every account scored on them with evidence and a history of changes (some cells left unscored,
 * some prospects not scored at all), and Three P for the prospects. Deterministic, from a random
 * stream of its own, so that the rest of the demo data stays what it was.
 */
import { en, Faker } from "@faker-js/faker";
import { articleCriteria } from "../../api/services/criteria-sets.ts";
import type { AccountStatus, QualificationAnswer } from "../generated/sqlite/client.ts";
import { DAY } from "./rng.ts";

type CriterionKey = (typeof articleCriteria)[number]["key"];

const defaultWeights: Record<CriterionKey, number> = {
  partnership_potential: 3,
  profit_potential: 3,
  solvency: 2,
  average_invoice: 2,
  product_fit: 2,
  purchasing_and_payment: 1.5,
  cooperation_length: 1,
  values_fit: 1,
  business_ties: 1,
  geography: 0.5,
};

const profitFirstWeights: Partial<Record<CriterionKey, number>> = {
  profit_potential: 5,
  average_invoice: 3,
  solvency: 3,
  purchasing_and_payment: 2,
};

const rubrics: Partial<Record<CriterionKey, { from: number; to: number; text: string }[]>> = {
  profit_potential: [
    { from: 1, to: 3, text: "Margin below our average, little room to sell more." },
    { from: 4, to: 7, text: "Average margin, some products still to place." },
    { from: 8, to: 10, text: "Among our best margins, and a budget that grows." },
  ],
  solvency: [
    { from: 1, to: 3, text: "Payment incidents or a weak credit rating." },
    { from: 4, to: 7, text: "Pays, sometimes late; rating fair." },
    { from: 8, to: 10, text: "Strong rating, never a payment incident." },
  ],
  purchasing_and_payment: [
    { from: 1, to: 4, text: "Long tenders, many signatures, pays after 90 days." },
    { from: 5, to: 7, text: "A framework agreement, pays within 60 days." },
    { from: 8, to: 10, text: "Orders directly, pays within 30 days." },
  ],
  geography: [
    { from: 1, to: 4, text: "Outside our delivery zones." },
    { from: 5, to: 10, text: "Close to one of our sites or partners." },
  ],
};

const evidence: Record<CriterionKey, readonly string[]> = {
  partnership_potential: [
    "Joint product roadmap discussed with their purchasing director",
    "Asked us to co-develop a service for their own clients",
    "Three successful projects together since the first order",
    "Only transactional so far; no appetite for a closer partnership",
  ],
  cooperation_length: [
    "Client since the first framework agreement",
    "First order two years ago",
    "Relationship restarted after a pause of several years",
  ],
  average_invoice: [
    "Average invoice well above the portfolio median",
    "Many small orders; average invoice below the median",
    "Average invoice grew after the last contract renewal",
  ],
  product_fit: [
    "Uses four of our five product lines",
    "Needs customisation we do not offer yet",
    "Our core product matches their main process",
  ],
  profit_potential: [
    "Budget for next year up, per their annual report",
    "Margin squeezed by their procurement rules",
    "Large share of their spend still goes to competitors",
  ],
  purchasing_and_payment: [
    "Pays within 30 days, orders through the portal",
    "Every order goes through a tender committee",
    "Payment delays flagged twice by finance this year",
  ],
  values_fit: [
    "Shared sustainability commitments, signed our charter",
    "Very different ways of working; friction in projects",
    "Long-term mindset, values service over price",
  ],
  solvency: [
    "Credit rating A according to the bureau report",
    "Rating downgraded last quarter",
    "No payment incident in five years",
  ],
  business_ties: [
    "Member of the sector association we sponsor",
    "Introduced us to two of their suppliers",
    "Parent group owns several potential clients",
  ],
  geography: [
    "Sites within our main delivery zone",
    "Headquarters abroad, purchasing done locally",
    "Far from our sites; deliveries through a partner",
  ],
};

const threePNotes = {
  need: ["Their current supplier contract ends next year", "Expanding to a new site", "No visible need yet"],
  solvency: ["Credit check fine", "Rating not checked yet", "Cash constrained after an acquisition"],
  authority: [
    "We met the purchasing director",
    "Only met a technical buyer so far",
    "Board decides above a ceiling",
  ],
} as const;

export interface ScoringSeedAccount {
  id: string;
  status: AccountStatus;
  isKeyAccount: boolean;
  ownerId: string | null;
  createdAt: Date;
  website: string | null;
}

export function buildDemoScoring(
  accounts: readonly ScoringSeedAccount[],
  people: { id: string; email: string }[],
  referenceDate: Date,
) {
  const reference = referenceDate.getTime();
  const f = new Faker({ locale: [en] });
  f.seed(20261201);
  const id = () => `c${f.string.alphanumeric({ length: 24, casing: "lower" })}`;
  const emailOf = new Map(people.map((person) => [person.id, person.email]));
  const created = new Date(reference - 400 * DAY);

  const criteria = articleCriteria.map((criterion) => ({
    id: id(),
    key: criterion.key,
    label: criterion.label,
    description: criterion.description,
    rubric: rubrics[criterion.key],
    createdAt: created,
  }));
  const criterionId = new Map<string, string>(criteria.map((criterion) => [criterion.key, criterion.id]));
  const defaultSet = {
    id: id(),
    name: "Key-account selection",
    description: "The ten criteria of the scoring matrix, weighted for partnership and profit.",
    isActive: true,
    keyAccountRule: "TOP_N" as const,
    keyAccountCount: 96,
    minCompleteness: 0.7,
    createdAt: created,
  };
  const profitFirst = {
    id: id(),
    name: "Profit first",
    description: "Tried beside the default: profit, invoice size and payment only.",
    isActive: false,
    keyAccountRule: "THRESHOLD" as const,
    keyAccountThreshold: 70,
    minCompleteness: 0.5,
    createdAt: created,
  };
  const weights = [
    ...articleCriteria.map((criterion, position) => ({
      criteriaSetId: defaultSet.id,
      criterionId: criterionId.get(criterion.key) as string,
      weight: defaultWeights[criterion.key],
      position,
    })),
    ...Object.entries(profitFirstWeights).map(([key, weight], position) => ({
      criteriaSetId: profitFirst.id,
      criterionId: criterionId.get(key) as string,
      weight: weight as number,
      position,
    })),
  ];

  const scores = [];
  const changes = [];
  const qualifications = [];
  const clamp = (value: number) => Math.min(10, Math.max(1, Math.round(value)));
  for (const account of accounts) {
    const prospect = account.status === "PROSPECT";
    if (prospect && f.datatype.boolean({ probability: 0.35 })) continue;
    // Key accounts tend to score high, lost ones low; the noise makes the rule disagree now and then.
    const level =
      (account.isKeyAccount
        ? 7.2
        : account.status === "ACTIVE"
          ? 5.4
          : account.status === "AT_RISK"
            ? 4.6
            : 3.8) + f.number.float({ min: -1.6, max: 1.6 });
    const author = (account.ownerId && emailOf.get(account.ownerId)) || "admin@demo.kam";
    const authorId = account.ownerId ?? null;
    for (const criterion of criteria) {
      if (f.datatype.boolean({ probability: prospect ? 0.5 : 0.07 })) continue;
      const key = criterion.key as CriterionKey;
      const history = f.helpers.weightedArrayElement([
        { value: 1, weight: 5 },
        { value: 2, weight: 3 },
        { value: 3, weight: 1 },
      ]);
      const start = Math.max(account.createdAt.getTime(), reference - 700 * DAY);
      const times = Array.from({ length: history }, () => f.number.int({ min: start, max: reference - DAY }))
        .sort((a, b) => a - b)
        .map((time) => new Date(time));
      let value = clamp(level + f.number.float({ min: -2, max: 2 }));
      let previous: number | null = null;
      for (const [index, changedAt] of times.entries()) {
        if (index > 0) value = clamp(value + f.helpers.arrayElement([-2, -1, 1, 1, 2]));
        const note = f.helpers.arrayElement(evidence[key]);
        const url =
          account.website && f.datatype.boolean({ probability: 0.15 })
            ? `https://intranet.example/kam/dossiers/${account.id}/${key}`
            : null;
        changes.push({
          id: id(),
          accountId: account.id,
          criterionId: criterion.id,
          value,
          previous,
          evidence: note,
          evidenceUrl: url,
          authorKind: "USER" as const,
          authorId,
          authorLabel: author,
          changedAt,
        });
        if (index === times.length - 1) {
          scores.push({
            accountId: account.id,
            criterionId: criterion.id,
            value,
            evidence: note,
            evidenceUrl: url,
            authorKind: "USER" as const,
            authorId,
            authorLabel: author,
            scoredAt: changedAt,
          });
        }
        previous = value;
      }
    }
  }
  for (const account of accounts) {
    if (account.status !== "PROSPECT") continue;
    const answer = (): QualificationAnswer =>
      f.helpers.weightedArrayElement([
        { value: "YES" as const, weight: 5 },
        { value: "NO" as const, weight: 2 },
        { value: "UNKNOWN" as const, weight: 3 },
      ]);
    const need = answer();
    const solvency = answer();
    const authority = answer();
    qualifications.push({
      accountId: account.id,
      need,
      needNote: need === "UNKNOWN" ? null : f.helpers.arrayElement(threePNotes.need),
      solvency,
      solvencyNote: solvency === "UNKNOWN" ? null : f.helpers.arrayElement(threePNotes.solvency),
      authority,
      authorityNote: authority === "UNKNOWN" ? null : f.helpers.arrayElement(threePNotes.authority),
      updatedByLabel: (account.ownerId && emailOf.get(account.ownerId)) || "admin@demo.kam",
    });
  }
  return { criteria, sets: [defaultSet, profitFirst], weights, scores, changes, qualifications };
}
