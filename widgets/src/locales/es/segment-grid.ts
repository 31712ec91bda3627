import { str } from "@lit/localize";

/** The segment grid's strings, by message ID. */
export const templates = {
  "grid.title": "Segmentos ABC-XYZ",
  "grid.measure.revenue": "facturación",
  "grid.measure.margin": "margen bruto",
  "grid.window": str`${0}, de ${1} a ${2}`,
  "grid.explain": "Cómo se calculan las clases",
  "grid.x": "X · estable",
  "grid.y": "Y · variable",
  "grid.z": "Z · irregular",
  "grid.accounts": str`${0} cuentas`,
  "grid.share": str`${0} del valor`,
  "grid.explain.abc": str`ABC ordena las cuentas por ${0}, de mayor a menor: una cuenta es A mientras las cuentas por encima suman menos del ${1} del total, B mientras suman menos del ${2}, C después.`,
  "grid.explain.xyz": str`XYZ mide la regularidad, el coeficiente de variación de los valores mensuales: X hasta ${0}, Y hasta ${1}, Z por encima, y también Z con menos de ${2} meses de historial.`,
  "grid.list.title": str`Cuentas en ${0}`,
  "grid.back": "Volver a la matriz",
  "grid.list.empty": "No hay cuentas en esta celda.",
  "grid.row.cv": str`CV ${0}`,
  "grid.row.months": str`${0} meses`,
  "grid.flag.no-sales": "sin ventas en el periodo",
  "grid.flag.short": "historial corto",
  "grid.trial": "Probando ajustes: sin guardar.",
};
