import { str } from "@lit/localize";

export const templates = {
  "state.loading": "Загрузка…",
  "state.empty": "Нет данных для отображения.",
  "state.error": "Не удалось загрузить данные.",
  "state.expired": "Сеанс истёк. Войдите снова, чтобы увидеть это.",
  "state.offline": str`Нет связи: показаны данные от ${0}.`,
  "state.retry": "Повторить",
  "state.no-token": "Нет токена: виджету он нужен для чтения KAM.",
};
