/** Every visible string in this language: one module per widget, merged here. */
import { templates as base } from "./pt/base.ts";
import { templates as dossierCard } from "./pt/dossier-card.ts";
import { templates as scoreMatrix } from "./pt/score-matrix.ts";
import { templates as segmentGrid } from "./pt/segment-grid.ts";

export const templates = { ...base, ...segmentGrid, ...dossierCard, ...scoreMatrix };
