/** The people of the demo data, named once for the seed, GraphiQL's hint and the widget demo. */
export const demoAdminEmail = "admin@demo.kam";
export const demoViewerEmail = "viewer@demo.kam";
