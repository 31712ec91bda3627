/**
 * Services name a wrong field within what they were given (`country`, `scores.2.value`); the
 * schema knows which argument held it. For a field whose one argument is an input object (every
 * `input:` mutation, `segmentMatrix(settings:)`), this plugin puts the argument's name in front
 * (`input.country`); a resolver that hands a service one of several arguments says which, with
 * `inArgument`.
 */
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from "@pothos/core";
import type { GraphQLFieldResolver } from "graphql";
import { errorWithin } from "../api/errors.ts";

const pluginName = "inputPaths";

function rethrowWithin(root: string): (error: unknown) => never {
  return (error) => {
    throw errorWithin(root, error);
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

/** Runs `work`, its failures' paths under the argument `name`. */
export async function inArgument<T>(name: string, work: () => Promise<T>): Promise<T> {
  return work().catch(rethrowWithin(name));
}

export class InputPathsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types["Context"], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types["Context"], object> {
    const args = Object.entries(fieldConfig.args);
    const only = args.length === 1 ? args[0] : undefined;
    if (only?.[1].type.kind !== "InputObject") return resolver;
    const within = rethrowWithin(only[0]);
    return (parent, fieldArgs, context, info) => {
      let result: unknown;
      try {
        result = resolver(parent, fieldArgs, context, info);
      } catch (error) {
        within(error);
      }
      return isThenable(result) ? result.then(undefined, within) : result;
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      inputPaths: InputPathsPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, InputPathsPlugin);

export default pluginName;
