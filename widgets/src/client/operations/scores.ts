/** What the score matrix reads and writes: pages of the matrix, the sets, one explanation, scores. */
import { operation } from "../operation.ts";

export interface MatrixCriterion {
  weight: number;
  weightShare: number;
  criterion: {
    key: string;
    label: string;
    description: string | null;
    rubric: { from: number; to: number; text: string }[];
  };
}

export interface MatrixCell {
  value: number | null;
  version: number;
  evidence: string | null;
  evidenceUrl: string | null;
  author: string | null;
  scoredAt: string | null;
}

export interface MatrixRow {
  accountName: string;
  score: number | null;
  rank: number | null;
  percentile: number | null;
  completeness: number;
  trend: number | null;
  isKeyAccount: boolean;
  wouldBeKey: boolean;
  account: {
    id: string;
    viewerCanEdit: boolean;
    archivedAt: string | null;
    /** The same account under the set compared with, when one is. */
    compared?: { score: number | null; rank: number | null; wouldBeKey: boolean } | null;
  };
  cells: MatrixCell[];
}

export interface CriteriaSetSummary {
  id: string;
  name: string;
  isActive: boolean;
  keyAccountRule: "THRESHOLD" | "TOP_N";
  keyAccountThreshold: number | null;
  keyAccountCount: number | null;
  minCompleteness: number;
}

export interface MatrixPage {
  totalCount: number;
  keyThreshold: number | null;
  asOf: string;
  criteriaSet: CriteriaSetSummary;
  columns: MatrixCriterion[];
  edges: { node: MatrixRow }[];
}

type Failure = { __typename: string; code: string; message: string };

export type MatrixOrderField = "SCORE" | "NAME" | "COMPLETENESS" | "CRITERION";

export interface MatrixVariables extends Record<string, unknown> {
  criteriaSetId: string | null;
  filter: Record<string, unknown> | null;
  orderBy: { field: MatrixOrderField; direction: "ASC" | "DESC"; criterionKey?: string };
  asOf: string | null;
  first: number;
  after: string | null;
  /** A second set whose rank each row also shows. */
  compareSetId: string | null;
  comparing: boolean;
}

const setFields = "id name isActive keyAccountRule keyAccountThreshold keyAccountCount minCompleteness";

export const scoreMatrixQuery = operation<
  { scoreMatrix: { __typename: "QueryScoreMatrixSuccess"; data: MatrixPage } | Failure },
  MatrixVariables
>(
  `query KamScoreMatrix($criteriaSetId: ID, $filter: AccountFilter, $orderBy: ScoreMatrixOrder, $asOf: DateTime, $first: Int, $after: String, $compareSetId: ID, $comparing: Boolean!) {
  scoreMatrix(criteriaSetId: $criteriaSetId, filter: $filter, orderBy: $orderBy, asOf: $asOf, first: $first, after: $after) {
    __typename
    ... on QueryScoreMatrixSuccess { data {
      totalCount keyThreshold asOf
      criteriaSet { ${setFields} }
      columns { weight weightShare criterion { key label description rubric { from to text } } }
      edges { node {
        accountName score rank percentile completeness trend isKeyAccount wouldBeKey
        account { id viewerCanEdit archivedAt
          compared: score(criteriaSetId: $compareSetId, asOf: $asOf) @include(if: $comparing) { score rank wouldBeKey } }
        cells { value version evidence evidenceUrl author scoredAt }
      } }
    } }
    ... on Error { code message }
  }
}`,
);

export interface Owner {
  id: string;
  name: string;
}

/** The sets to choose from and the people who may own accounts, for the matrix's filters. */
export const matrixChoicesQuery = operation<{
  criteriaSets: CriteriaSetSummary[];
  users: { edges: { node: Owner }[] };
}>(
  `query KamMatrixChoices { criteriaSets { ${setFields} } users(first: 100) { edges { node { id name } } } }`,
);

export interface Explanation {
  score: number | null;
  explanation: {
    keyThreshold: number | null;
    wouldBeKey: boolean;
    liftedScore: number | null;
    blockedBecause: "LOST" | "NOT_SCORED" | null;
    contributions: {
      value: number | null;
      points: number | null;
      criterion: { key: string; label: string };
    }[];
    liftToKey: { from: number; to: number; criterion: { key: string; label: string } }[];
    heldBackBy: { value: number | null; shortfall: number; criterion: { key: string; label: string } }[];
    missingForCompleteness: { key: string; label: string }[];
  };
}

export const explanationQuery = operation<
  { account: { __typename: string; score?: Explanation | null } },
  { id: string; criteriaSetId: string | null; asOf: string | null }
>(
  `query KamScoreExplanation($id: ID!, $criteriaSetId: ID, $asOf: DateTime) {
  account(id: $id) { __typename ... on Account { score(criteriaSetId: $criteriaSetId, asOf: $asOf) {
    score
    explanation {
      keyThreshold wouldBeKey liftedScore blockedBecause
      contributions { value points criterion { key label } }
      liftToKey { from to criterion { key label } }
      heldBackBy { value shortfall criterion { key label } }
      missingForCompleteness { key label }
    }
  } } }
}`,
);

export interface ScoreInput extends Record<string, unknown> {
  accountId: string;
  criterionKey: string;
  value: number | null;
  evidence?: string | null;
  evidenceUrl?: string | null;
  version?: number;
}

export type SetScoresResult =
  | { __typename: "MutationSetScoresSuccess"; data: { changed: number } }
  | (Failure & {
      issues?: { path: string; message: string }[];
      currentVersion?: number;
      path?: string | null;
    });

export const setScoresMutation = operation<
  { setScores: SetScoresResult },
  { input: { scores: ScoreInput[] } }
>(
  `mutation KamSetScores($input: SetScoresInput!) {
  setScores(input: $input) {
    __typename
    ... on MutationSetScoresSuccess { data { changed } }
    ... on ValidationError { issues { path message } }
    ... on VersionConflictError { currentVersion path }
    ... on Error { code message }
  }
}`,
);

export interface ScoreChange {
  accountId: string;
  criterionKey: string;
  value: number | null;
  author: string;
}

export const scoreChangedSubscription = operation<
  { scoreChanged: ScoreChange },
  { accountIds: string[] | null }
>(
  "subscription KamScoreChanged($accountIds: [ID!]) { scoreChanged(accountIds: $accountIds) { accountId criterionKey value author } }",
);
