/**
 * The KAM widgets bundle: `<script type="module" src="…/widgets/kam-widgets.js">` defines every
 * element below. Nothing else is written to `window`.
 */

export type {
  KamAccountSelectDetail,
  KamErrorDetail,
  KamReadyDetail,
  KamScoreChangeDetail,
  KamSegmentSelectDetail,
} from "./base/events.ts";
export { KamClient, KamRequestError, type TokenProvider } from "./client/client.ts";
export { KamDossierCard } from "./kam-dossier-card.ts";
export { KamProvider } from "./kam-provider.ts";
export { KamScoreMatrix } from "./kam-score-matrix.ts";
export { KamSegmentGrid } from "./kam-segment-grid.ts";
