import { str } from "@lit/localize";

export const templates = {
  "state.loading": "Cargando…",
  "state.empty": "No hay nada que mostrar.",
  "state.error": "No se pudieron cargar los datos.",
  "state.expired": "Su sesión ha caducado. Vuelva a iniciar sesión para ver esto.",
  "state.offline": str`Sin conexión: datos de ${0}.`,
  "state.retry": "Reintentar",
  "state.no-token": "Sin token: este widget necesita uno para leer KAM.",
};
