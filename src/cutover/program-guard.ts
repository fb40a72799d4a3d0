/**
 * What the Pulumi program itself enforces for the cutover, as pure decisions (the program injects
 * the record and the previous outputs, as it does for the CRD gate):
 * - the drift guard: a plain `pulumi up` whose weights disagree with the environment's cutover
 *   record stops before any change, so no checkout can move traffic behind a cutover's back;
 * - weights-only mode (the cutover's targeted updates): refused when the config changes anything
 *   but the weights, detected by a digest of the config without them, kept in the stack outputs.
 */
import { createHash } from "crypto";
import { formatWeights, Weights } from "../config/colors";
import type { EnvironmentConfig } from "../config/schema";
import type { CutoverRecord } from "./record";

/** The environment variable the Automation API adapter sets for targeted cutover/rollback updates. */
export const WEIGHTS_ONLY_ENV = "BLUEGREEN_WEIGHTS_ONLY";
/** Set for one `pulumi up` to accept weights that differ from the cutover record. */
export const ACCEPT_WEIGHTS_ENV = "BLUEGREEN_ACCEPT_WEIGHT_CHANGE";

export interface CutoverProgramDeps {
    /** Targeted cutover/rollback update: no CRD gate, no live cluster reads, no downloads. */
    weightsOnly: boolean;
    /** Accept a weight change against the record for this one update. */
    acceptWeightChange?: boolean;
    /** The environment's cutover record and, when readable, the live weights. */
    cutoverState?: () => Promise<{ record?: CutoverRecord; live?: Weights } | undefined>;
    /** `configDigest` from the stack's previous outputs. */
    previousConfigDigest?: () => Promise<string | undefined>;
}

export const NO_CUTOVER_DEPS: CutoverProgramDeps = { weightsOnly: false };

function stable(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(stable);
    if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, stable((value as Record<string, unknown>)[k])]));
    return value;
}

/** A digest of everything in the config but the weights and the cutover settings. */
export function configDigest(config: EnvironmentConfig): string {
    const { cutover: _cutover, routing, ...rest } = config;
    const withoutWeights = routing ? { ...routing, weights: undefined } : undefined;
    return createHash("sha256").update(JSON.stringify(stable({ ...rest, routing: withoutWeights }))).digest("hex").slice(0, 16);
}

export function weightsOnlyProblem(now: string, before: string | undefined): string | undefined {
    if (before === undefined || before === now) return undefined;
    return "bluegreen: this targeted cutover update was refused: the stack config changes more than the weights since the last full deployment " +
        `(config digest ${before} → ${now}). Run a full \`pulumi up\` for those changes first (or revert them), then the cutover again.`;
}

const ENDED = new Set(["completed", "rolled-back", "fell-back", "precheck-failed", "rollback-check-failed"]);

/** The drift guard's message, or undefined when the config's weights agree with the record. */
export function driftProblem(configWeights: Weights, state: { record?: CutoverRecord; live?: Weights } | undefined): string | undefined {
    const record = state?.record;
    if (!record) return undefined;
    const agreed = state?.live ?? record.verifiedWeights;
    if (configWeights.blue === agreed.blue && configWeights.green === agreed.green) return undefined;
    const running = !ENDED.has(record.phase);
    return [
        `bluegreen: stopped before any change: the stack config's weights (${formatWeights(configWeights)}) disagree with the ${running ? "running" : "last"} cutover.`,
        `  live on the load balancer: ${state?.live ? formatWeights(state.live) : "not read"}`,
        `  cutover record: ${record.command} ${record.runId} (${record.from} → ${record.to}), ${record.phase} at step ${record.stepIndex}, verified ${formatWeights(record.verifiedWeights)} at ${record.updatedAt}`,
        running
            ? "  A cutover or rollback is in progress or was interrupted: check with `bluegreen status`, then resume it with `bluegreen cutover` or `bluegreen rollback`."
            : `  Your checkout's stack file is probably behind: pull the committed stack file (routing.weights ${formatWeights(record.verifiedWeights)}), or see \`bluegreen status\`. To move traffic use \`bluegreen cutover\`/\`bluegreen rollback\`; to override once, ${ACCEPT_WEIGHTS_ENV}=1 pulumi up.`,
    ].join("\n");
}
