/**
 * The configuration of one environment (one Pulumi stack): parse and validate the raw values of the
 * `bluegreen:` namespace, everywhere the same way (the Pulumi program, the offline plan, the CLI).
 * Every problem is reported at once, with its config path. The parts: colors.ts, values.ts,
 * schema.ts (shape and self-contained checks), references.ts (checks that call other modules),
 * problems.ts (messages), load.ts (both together), environment.ts (from raw key/values to what the program gets).
 */
export * from "./colors";
export * from "./environment";
export * from "./load";
export { ConfigError, formatConfigPath } from "./problems";
export type { ConfigProblem } from "./problems";
export * from "./schema";
export * from "./values";
