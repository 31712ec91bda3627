/** The dossier-card strings in this language, by message ID. */
export const templates = {};
