import { str } from "@lit/localize";

/** The segment grid's strings, by message ID. */
export const templates = {
  "grid.title": "Segments ABC-XYZ",
  "grid.measure.revenue": "chiffre d'affaires",
  "grid.measure.margin": "marge brute",
  "grid.window": str`${0}, de ${1} à ${2}`,
  "grid.explain": "Comment les classes sont calculées",
  "grid.x": "X · régulier",
  "grid.y": "Y · variable",
  "grid.z": "Z · irrégulier",
  "grid.accounts": str`${0} comptes`,
  "grid.share": str`${0} de la valeur`,
  "grid.explain.abc": str`ABC classe les comptes par ${0}, du plus grand au plus petit : un compte est A tant que les comptes au-dessus de lui font moins de ${1} du total, B tant qu'ils font moins de ${2}, C ensuite.`,
  "grid.explain.xyz": str`XYZ mesure la régularité, le coefficient de variation des valeurs mensuelles : X jusqu'à ${0}, Y jusqu'à ${1}, Z au-delà, et Z aussi avec moins de ${2} mois d'historique.`,
  "grid.list.title": str`Comptes en ${0}`,
  "grid.back": "Retour à la matrice",
  "grid.list.empty": "Aucun compte dans cette case.",
  "grid.row.cv": str`CV ${0}`,
  "grid.row.months": str`${0} mois`,
  "grid.flag.no-sales": "aucune vente sur la période",
  "grid.flag.short": "historique court",
  "grid.trial": "Essai de réglages : non enregistrés.",
};
