/** Every visible string in this language: one module per widget, merged here. */
import { templates as base } from "./th/base.ts";
import { templates as dossierCard } from "./th/dossier-card.ts";
import { templates as scoreMatrix } from "./th/score-matrix.ts";
import { templates as segmentGrid } from "./th/segment-grid.ts";

export const templates = { ...base, ...segmentGrid, ...dossierCard, ...scoreMatrix };
