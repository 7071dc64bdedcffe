import type { Command } from "commander";
import { documentSchemas, type SchemaName } from "../../model/json-schema.js";
import { InputError } from "../../io/load.js";

/** registerSchema adds `vmplace schema [NAME]`: JSON Schemas generated from the zod schemas. */
export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("print the JSON Schema of an input or output document (generated from the zod schemas)")
    .argument("[name]", `one of: ${Object.keys(documentSchemas()).join(", ")}`, "cluster")
    .action((name: string) => {
      const all = documentSchemas();
      if (!(name in all)) throw new InputError(`unknown schema "${name}"; choose one of ${Object.keys(all).join(", ")}`);
      process.stdout.write(`${JSON.stringify(all[name as SchemaName], null, 2)}\n`);
    });
}
