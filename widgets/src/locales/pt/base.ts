import { str } from "@lit/localize";

export const templates = {
  "state.loading": "Carregando…",
  "state.empty": "Nada para mostrar.",
  "state.error": "Não foi possível carregar os dados.",
  "state.expired": "Sua sessão expirou. Entre novamente para ver isto.",
  "state.offline": str`Sem conexão: dados de ${0}.`,
  "state.retry": "Tentar novamente",
  "state.no-token": "Sem token: este widget precisa de um para ler o KAM.",
};
