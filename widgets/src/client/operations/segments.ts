/** What the segment grid reads: the 3×3 matrix with the settings in force, and a cell's accounts. */
import { operation } from "../operation.ts";

export type AbcClass = "A" | "B" | "C";
export type XyzClass = "X" | "Y" | "Z";

export interface SegmentCell {
  abc: AbcClass;
  xyz: XyzClass;
  accountCount: number;
  value: number;
  share: number;
}

/** Segment settings to try instead of the stored ones, never saved; those left out keep theirs. */
export interface SegmentSettingsInput {
  segmentMeasure?: "REVENUE" | "MARGIN";
  segmentWindowMonths?: number;
  abcCutoffA?: number;
  abcCutoffB?: number;
  xyzCutoffX?: number;
  xyzCutoffY?: number;
  xyzMinimumMonths?: number;
}

export interface SegmentMatrixResult {
  segmentMatrix: {
    measure: "REVENUE" | "MARGIN";
    total: number;
    accountCount: number;
    window: { from: string; to: string; monthCount: number };
    cells: SegmentCell[];
    /** The settings in force for this matrix: the stored ones, or those tried. */
    settings: {
      abcCutoffA: number;
      abcCutoffB: number;
      xyzCutoffX: number;
      xyzCutoffY: number;
      xyzMinimumMonths: number;
    };
  };
}

export const segmentMatrixQuery = operation<SegmentMatrixResult, { settings: SegmentSettingsInput | null }>(
  `query KamSegmentGrid($settings: SegmentSettingsInput) {
  segmentMatrix(settings: $settings) {
    measure total accountCount window { from to monthCount } cells { abc xyz accountCount value share }
    settings { abcCutoffA abcCutoffB xyzCutoffX xyzCutoffY xyzMinimumMonths }
  }
}`,
);

export interface CellAccount {
  id: string;
  name: string;
  segment: {
    value: number;
    share: number;
    coefficientOfVariation: number | null;
    activeMonths: number;
    noSalesInWindow: boolean;
    insufficientHistory: boolean;
  } | null;
}

export interface CellAccountsResult {
  accounts: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: CellAccount }[];
  };
}

export const cellAccountsQuery = operation<
  CellAccountsResult,
  { abc: AbcClass[]; xyz: XyzClass[]; after: string | null; settings: SegmentSettingsInput | null }
>(`query KamSegmentCell($abc: [AbcClass!], $xyz: [XyzClass!], $after: String, $settings: SegmentSettingsInput) {
  accounts(first: 100, after: $after, filter: { abc: $abc, xyz: $xyz, segmentSettings: $settings }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name segment(settings: $settings) { value share coefficientOfVariation activeMonths noSalesInWindow insufficientHistory } } }
  }
}`);
