/** What a page loads for the widgets, gzipped: the whole bundle (Lit, the client, every widget) and its largest language. At most this. */
export const budgetBytes = 40 * 1024;
