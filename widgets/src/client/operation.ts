/**
 * A GraphQL operation as it is sent: its text, written once, with the types of its result and
 * its variables attached, so a widget cannot send what the document does not declare.
 */
export type Operation<Result, Variables extends Record<string, unknown> = Record<string, never>> = string & {
  readonly __result?: Result;
  readonly __variables?: Variables;
};

export function operation<Result, Variables extends Record<string, unknown> = Record<string, never>>(
  text: string,
): Operation<Result, Variables> {
  return text as Operation<Result, Variables>;
}

export type ResultOf<O> = O extends Operation<infer Result, infer _Variables> ? Result : never;
export type VariablesOf<O> = O extends Operation<infer _Result, infer Variables> ? Variables : never;
