/** The events every widget may fire: prefixed `kam-`, bubbling and composed, with typed details. */
import type { KamErrorCode } from "../client/client.ts";

/** An account was chosen (a row of a list, a card): the host page may open it elsewhere. */
export interface KamAccountSelectDetail {
  /** The account's global ID, as the API shows it. */
  accountId: string;
  name: string;
}

/** Something went wrong; `code` says what (SESSION_EXPIRED, OFFLINE, FORBIDDEN, NOT_FOUND, …). */
export interface KamErrorDetail {
  code: KamErrorCode;
  message: string;
}

/** The widget has loaded its data (or found none: `empty`). */
export interface KamReadyDetail {
  widget: string;
  empty: boolean;
}

/** A score was saved: the server confirmed it. */
export interface KamScoreChangeDetail {
  accountId: string;
  accountName: string;
  criterionKey: string;
  /** 1-10, or null when the score was withdrawn. */
  value: number | null;
}

/** A cell of the segment matrix was opened (its classes), or closed again (both null). */
export interface KamSegmentSelectDetail {
  abc: "A" | "B" | "C" | null;
  xyz: "X" | "Y" | "Z" | null;
}

export interface KamEventMap {
  "kam-account-select": KamAccountSelectDetail;
  "kam-error": KamErrorDetail;
  "kam-ready": KamReadyDetail;
  "kam-score-change": KamScoreChangeDetail;
  "kam-segment-select": KamSegmentSelectDetail;
}

declare global {
  interface HTMLElementEventMap {
    "kam-account-select": CustomEvent<KamAccountSelectDetail>;
    "kam-error": CustomEvent<KamErrorDetail>;
    "kam-ready": CustomEvent<KamReadyDetail>;
    "kam-score-change": CustomEvent<KamScoreChangeDetail>;
    "kam-segment-select": CustomEvent<KamSegmentSelectDetail>;
  }
}
