import { str } from "@lit/localize";

export const templates = {
  "state.loading": "Chargement…",
  "state.empty": "Rien à afficher.",
  "state.error": "Impossible de charger les données.",
  "state.expired": "Votre session a expiré. Reconnectez-vous pour voir ceci.",
  "state.offline": str`Hors ligne : données du ${0}.`,
  "state.retry": "Réessayer",
  "state.no-token": "Aucun jeton : ce widget en a besoin pour lire KAM.",
};
