/** The whole widget bundle, Lit and the client included, gzipped: at most this. */
export const budgetBytes = 40 * 1024;
