import { str } from "@lit/localize";

/** The segment grid's strings, by message ID. */
export const templates = {
  "grid.title": "Segmentos ABC-XYZ",
  "grid.measure.revenue": "faturamento",
  "grid.measure.margin": "margem bruta",
  "grid.window": str`${0}, de ${1} a ${2}`,
  "grid.explain": "Como as classes são calculadas",
  "grid.x": "X · estável",
  "grid.y": "Y · variável",
  "grid.z": "Z · irregular",
  "grid.accounts": str`${0} contas`,
  "grid.share": str`${0} do valor`,
  "grid.explain.abc": str`A ABC ordena as contas por ${0}, da maior para a menor: uma conta é A enquanto as contas acima dela somam menos de ${1} do total, B enquanto somam menos de ${2}, C depois.`,
  "grid.explain.xyz": str`A XYZ mede a regularidade, o coeficiente de variação dos valores mensais: X até ${0}, Y até ${1}, Z acima, e Z também com menos de ${2} meses de histórico.`,
  "grid.list.title": str`Contas em ${0}`,
  "grid.back": "Voltar à matriz",
  "grid.list.empty": "Nenhuma conta nesta célula.",
  "grid.row.cv": str`CV ${0}`,
  "grid.row.months": str`${0} meses`,
  "grid.flag.no-sales": "sem vendas no período",
  "grid.flag.short": "histórico curto",
  "grid.trial": "Testando configurações: não salvas.",
};
