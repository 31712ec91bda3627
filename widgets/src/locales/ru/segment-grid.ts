import { str } from "@lit/localize";

/** The segment grid's strings, by message ID. */
export const templates = {
  "grid.title": "Сегменты ABC-XYZ",
  "grid.measure.revenue": "выручка",
  "grid.measure.margin": "валовая прибыль",
  "grid.window": str`${0}, с ${1} по ${2}`,
  "grid.explain": "Как определяются классы",
  "grid.x": "X · стабильные",
  "grid.y": "Y · переменные",
  "grid.z": "Z · нерегулярные",
  "grid.accounts": str`клиентов: ${0}`,
  "grid.share": str`${0} от суммы`,
  "grid.explain.abc": str`ABC упорядочивает клиентов по показателю «${0}», от большего к меньшему: клиент относится к A, пока клиенты выше него дают меньше ${1} итога, к B — пока меньше ${2}, дальше — к C.`,
  "grid.explain.xyz": str`XYZ измеряет регулярность — коэффициент вариации месячных значений: X до ${0}, Y до ${1}, Z выше, а также Z при истории короче ${2} мес.`,
  "grid.list.title": str`Клиенты в ${0}`,
  "grid.back": "Назад к матрице",
  "grid.list.empty": "В этой ячейке нет клиентов.",
  "grid.row.cv": str`КВ ${0}`,
  "grid.row.months": str`${0} мес.`,
  "grid.flag.no-sales": "нет продаж за период",
  "grid.flag.short": "короткая история",
  "grid.trial": "Пробные настройки: не сохранены.",
};
