/** The segment-grid strings in this language, by message ID. */
export const templates = {};
