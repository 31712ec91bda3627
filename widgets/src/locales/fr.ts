/** Every visible string in this language: one module per widget, merged here. */
import { templates as base } from "./fr/base.ts";
import { templates as dossierCard } from "./fr/dossier-card.ts";
import { templates as scoreMatrix } from "./fr/score-matrix.ts";
import { templates as segmentGrid } from "./fr/segment-grid.ts";

export const templates = { ...base, ...segmentGrid, ...dossierCard, ...scoreMatrix };
