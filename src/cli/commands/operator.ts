/**
 * What `cutover`, `rollback` and `status` share: the real stack, gates and clock (loaded on use, so
 * other commands start fast), and Ctrl-C handling.
 */
import { Color } from "../../config/colors";
import { Clock, Gate, StackOperations, StackView, systemClock } from "../../cutover/model";

export interface OperatorDeps {
    stack: StackOperations;
    gates: (view: StackView, candidate: Color, thresholds: { minHealthyTargets: number; max5xxRate: number }) => Gate[];
    clock: Clock;
    signal?: AbortSignal;
}

// The AWS SDK, the Kubernetes client and the Automation API are loaded on use, so other commands start fast.
export async function realDeps(options: { stack: string; cwd: string }, signal?: AbortSignal): Promise<OperatorDeps> {
    const { PulumiStackOperations } = await import("../../cutover/automation");
    const { awsGates } = await import("../../cutover/aws-gates");
    return { stack: await PulumiStackOperations.select(options.stack, options.cwd), gates: awsGates, clock: systemClock, signal };
}

export function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const onSigint = () => {
        process.stderr.write("\nInterrupt received: finishing the current operation, then stopping (no further weight change).\n");
        controller.abort();
    };
    process.once("SIGINT", onSigint);
    return run(controller.signal).finally(() => process.removeListener("SIGINT", onSigint));
}

