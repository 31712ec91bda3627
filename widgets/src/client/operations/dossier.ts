/** The dossier card's one request: everything the card shows about one account. */
import { operation } from "../operation.ts";

export interface DossierContact {
  name: string;
  title: string | null;
  decisionRole: string;
  influence: number;
  attitude: string;
  characterType: string | null;
  pitchAdvice: string | null;
  personalFactsRestricted: boolean;
  personalFacts: { birthday: string | null; hobbies: string | null } | null;
  reportsTo: { name: string } | null;
}

export interface Dossier {
  id: string;
  name: string;
  status: string;
  isKeyAccount: boolean;
  segment: {
    abc: string;
    xyz: string;
    value: number;
    share: number;
    coefficientOfVariation: number | null;
  } | null;
  clientTypes: { type: string; reason: string }[];
  score: { score: number | null; rank: number | null; trend: number | null } | null;
  growth: {
    twelveMonths: { current: { revenue: number }; revenueChangePercent: number | null };
  } | null;
  risk: { status: string; reasons: { kind: string; text: string }[] } | null;
  contacts: DossierContact[];
  competitors: { name: string; threatLevel: string }[];
  events: { edges: { node: { kind: string; occurredAt: string; title: string } }[] };
}

export type DossierResult =
  | ({ __typename: "Account" } & Dossier)
  | { __typename: "ForbiddenError" | "InvalidIdError" | "NotFoundError"; code: string; message: string };

export const dossierQuery = operation<{ account: DossierResult }, { id: string }>(`
  query Dossier($id: ID!) {
    account(id: $id) {
      __typename
      ... on Account {
        id name status isKeyAccount
        segment { abc xyz value share coefficientOfVariation }
        clientTypes { type reason }
        score { score rank trend }
        growth { twelveMonths { current { revenue } revenueChangePercent } }
        risk { status reasons { kind text } }
        contacts {
          name title decisionRole influence attitude characterType pitchAdvice
          personalFactsRestricted personalFacts { birthday hobbies }
          reportsTo { name }
        }
        competitors { name threatLevel }
        events(first: 5) { edges { node { kind occurredAt title } } }
      }
      ... on Error { code message }
    }
  }
`);
