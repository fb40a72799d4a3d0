/**
 * Runs a Pulumi program in-process under mocks and records the resource graph it registers.
 * No network, no Pulumi CLI: this is a review tool; `pulumi preview` against AWS is the real thing.
 */
import * as pulumi from "@pulumi/pulumi";
import { isUnknown } from "@pulumi/pulumi/output";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { Plan, SECRET, UNKNOWN } from "./model";
import { planMocks, PlanMockOptions } from "./mocks";
import { RecordingMonitor } from "./recording-monitor";
import { ReferenceTable } from "./references";

export interface RecordPlanOptions extends PlanMockOptions {
    project?: string;
    stack: string;
}

export type PulumiProgram = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

// Internal parts of the Pulumi SDK the mocks themselves use (marked @internal, so not in its typings).
const runtimeState = require("@pulumi/pulumi/runtime/state") as { getStore(): Record<string, unknown> };
const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
const runtimeDebuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> };
// Private in the SDK's typings; the Resource constructor calls it for every resource.
const resourceStatics = pulumi.Resource as unknown as { callsites(): unknown[] };

// The Pulumi runtime is a process-wide singleton: plans run one after another.
let queue: Promise<unknown> = Promise.resolve();

export function recordPlan(program: PulumiProgram, options: RecordPlanOptions): Promise<Plan> {
    const run = queue.then(() => recordPlanNow(program, options));
    queue = run.catch(() => undefined);
    return run;
}

/**
 * Two things the SDK does for a real deployment that a plan never reads, switched off while a plan
 * runs and put back after: it wraps every internal promise with `new Error().stack` to report leaked
 * promises when a deployment exits (under mocks two thirds of a plan's time, more under a test
 * runner that source-maps stacks), and it records each resource's source position from a stack of
 * unlimited depth (`Resource.callsites`), which the plan's monitor ignores.
 */
async function withoutStackCapture<T>(run: () => Promise<T>): Promise<T> {
    const original = { debuggablePromise: runtimeDebuggable.debuggablePromise, callsites: resourceStatics.callsites };
    runtimeDebuggable.debuggablePromise = (p) => p;
    resourceStatics.callsites = () => [];
    try {
        return await run();
    } finally {
        runtimeDebuggable.debuggablePromise = original.debuggablePromise;
        resourceStatics.callsites = original.callsites;
    }
}

function recordPlanNow(program: PulumiProgram, options: RecordPlanOptions): Promise<Plan> {
    return withoutStackCapture(() => recordPlanUnwrapped(program, options));
}

async function recordPlanUnwrapped(program: PulumiProgram, options: RecordPlanOptions): Promise<Plan> {
    const project = options.project ?? "bluegreen";
    const monitor = new RecordingMonitor(planMocks(options));
    settings.setMockOptions(monitor, project, options.stack, true);
    enableMockFeatures();
    const outputs = (await program()) ?? {};
    await settle(monitor);
    const resolvedOutputs = await readOutputs(outputs, monitor.references);
    await settle(monitor);
    const resources = [...monitor.recorded].sort((a, b) => a.urn.localeCompare(b.urn));
    return { project, stack: options.stack, resources, outputs: resolvedOutputs, references: monitor.references.toJSON() };
}

/** The same features `pulumi.runtime.setMocks` turns on (setMockOptions resets them). */
function enableMockFeatures(): void {
    const store = runtimeState.getStore();
    store.supportsSecrets = true;
    store.supportsResourceReferences = true;
    store.supportsOutputValues = false;
    store.supportsDeletedWith = true;
    store.supportsReplaceWith = true;
    store.supportsAliasSpecs = true;
    store.supportsTransforms = true;
    store.supportsInvokeTransforms = true;
    store.supportsParameterization = true;
    store.supportsResourceHooks = true;
    store.supportsErrorHooks = true;
    store.supportsInvokeDependsOn = false;
}

async function settle(monitor: RecordingMonitor): Promise<void> {
    let lastCount = -1;
    let quietRounds = 0;
    while (quietRounds < 3) {
        await runtimeSettings.waitForRPCs();
        await new Promise((resolve) => setTimeout(resolve, 5));
        const count = monitor.recorded.length;
        if (monitor.pendingRegistrations === 0 && count === lastCount) quietRounds++;
        else quietRounds = 0;
        lastCount = count;
    }
}

interface InternalOutput {
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    promise(withUnknowns?: boolean): Promise<unknown>;
}

async function readOutputs(outputs: Record<string, unknown>, references: ReferenceTable): Promise<Record<string, unknown>> {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(outputs).sort()) {
        result[key] = await readOutput(pulumi.output(outputs[key]) as unknown as InternalOutput, references);
    }
    return result;
}

async function readOutput(output: InternalOutput, references: ReferenceTable): Promise<unknown> {
    if (await output.isSecret) return SECRET;
    return toReadable(await output.promise(true), references);
}

function toReadable(value: unknown, references: ReferenceTable): unknown {
    if (value === undefined) return undefined;
    if (typeof value === "string") return references.render(value);
    if (pulumi.Output.isInstance(value)) return UNKNOWN;
    if (isUnknown(value)) return UNKNOWN;
    if (pulumi.Resource.isInstance(value)) return `<resource ${(value as { __name?: string }).__name ?? ""}>`;
    if (Array.isArray(value)) return value.map((v) => toReadable(v, references));
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            const v = toReadable((value as Record<string, unknown>)[key], references);
            if (v !== undefined) out[key] = v;
        }
        return out;
    }
    return value;
}
