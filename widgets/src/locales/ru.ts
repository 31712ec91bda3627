/** Every visible string in this language: one module per widget, merged here. */
import { templates as base } from "./ru/base.ts";
import { templates as dossierCard } from "./ru/dossier-card.ts";
import { templates as scoreMatrix } from "./ru/score-matrix.ts";
import { templates as segmentGrid } from "./ru/segment-grid.ts";

export const templates = { ...base, ...segmentGrid, ...dossierCard, ...scoreMatrix };
