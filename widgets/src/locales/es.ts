/** Every visible string in this language: one module per widget, merged here. */
import { templates as base } from "./es/base.ts";
import { templates as dossierCard } from "./es/dossier-card.ts";
import { templates as scoreMatrix } from "./es/score-matrix.ts";
import { templates as segmentGrid } from "./es/segment-grid.ts";

export const templates = { ...base, ...segmentGrid, ...dossierCard, ...scoreMatrix };
