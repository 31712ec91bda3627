/**
 * The widgets send their operations as strings, so graphql-request never parses or prints a
 * document in the browser. This stands in for graphql-js in the bundle (about 20 KB gzipped
 * saved); anything that would really need it fails loudly.
 */
const unavailable = (what: string) => () => {
  throw new Error(`${what} is not bundled with the KAM widgets: send operations as strings.`);
};

export const parse = unavailable("graphql parse");
export const print = unavailable("graphql print");
export const Kind = { OPERATION_DEFINITION: "OperationDefinition" } as const;
export class GraphQLError extends Error {}
class Unavailable {}

export {
  Unavailable as GraphQLEnumType,
  Unavailable as GraphQLInputObjectType,
  Unavailable as GraphQLInterfaceType,
  Unavailable as GraphQLList,
  Unavailable as GraphQLNonNull,
  Unavailable as GraphQLObjectType,
  Unavailable as GraphQLScalarType,
  Unavailable as GraphQLUnionType,
};
export const isListType = () => false;
export const isNonNullType = () => false;
