/** The dossier card's request: everything the card shows about one account, by KAM ID or ERP ID. */
import { operation } from "../operation.ts";

export interface DossierContact {
  id: string;
  name: string;
  title: string | null;
  decisionRole: string;
  influence: number;
  attitude: string;
  characterType: string | null;
  personalFactsRestricted: boolean;
  personalFacts: { birthday: string | null; hobbies: string | null; family: string | null } | null;
  reportsTo: { id: string; name: string } | null;
}

export interface Dossier {
  id: string;
  name: string;
  externalId: string | null;
  status: string;
  isKeyAccount: boolean;
  archivedAt: string | null;
  segment: {
    abc: string;
    xyz: string;
    cell: string;
    rank: number;
    value: number;
    share: number;
    coefficientOfVariation: number | null;
    activeMonths: number;
    noSalesInWindow: boolean;
    insufficientHistory: boolean;
  } | null;
  clientTypes: { type: string; reason: string }[];
  score: {
    score: number | null;
    rank: number | null;
    trend: number | null;
    percentile: number | null;
    completeness: number;
  } | null;
  growth: {
    twelveMonths: { current: { revenue: number }; revenueChangePercent: number | null };
  } | null;
  risk: {
    status: string;
    silenceDays: number | null;
    medianGapDays: number | null;
    revenueDropPercent: number | null;
    reasons: { kind: string; text: string }[];
  } | null;
  contacts: DossierContact[];
  competitors: { id: string; name: string; threatLevel: string }[];
  events: { edges: { node: { id: string; kind: string; occurredAt: string; title: string } }[] };
}

type DossierError = {
  __typename: "ForbiddenError" | "InvalidIdError" | "NotFoundError";
  code: string;
  message: string;
};

export type DossierResult = ({ __typename: "Account" } & Dossier) | DossierError;

const dossierFields = `
  __typename
  ... on Account {
    id name externalId status isKeyAccount archivedAt
    segment { abc xyz cell rank value share coefficientOfVariation activeMonths noSalesInWindow insufficientHistory }
    clientTypes { type reason }
    score { score rank trend percentile completeness }
    growth { twelveMonths { current { revenue } revenueChangePercent } }
    risk { status silenceDays medianGapDays revenueDropPercent reasons { kind text } }
    contacts {
      id name title decisionRole influence attitude characterType
      personalFactsRestricted personalFacts { birthday hobbies family }
      reportsTo { id name }
    }
    competitors { id name threatLevel }
    events(first: 5) { edges { node { id kind occurredAt title } } }
  }
  ... on Error { code message }
`;

export const dossierQuery = operation<{ account: DossierResult }, { id: string }>(
  `query KamDossierCard($id: ID!) { account(id: $id) { ${dossierFields} } }`,
);

/** The score alone, read again when it changes: not the whole dossier (nor its personal facts). */
export const dossierScoreQuery = operation<
  { account: { __typename: string; score?: Dossier["score"] } },
  { id: string }
>(
  `query KamDossierScore($id: ID!) { account(id: $id) { __typename ... on Account { score { score rank trend percentile completeness } } } }`,
);

export const dossierByExternalIdQuery = operation<
  { accountByExternalId: DossierResult },
  { externalId: string }
>(
  `query KamDossierCardByExternalId($externalId: String!) { accountByExternalId(externalId: $externalId) { ${dossierFields} } }`,
);
