/**
 * The scenario test runner shared by the rehearsal tests: runs a scenario file of
 * test/cutover/scenarios on the real engine and gates, and checks the invariants every run keeps.
 */
import * as path from "path";
import type { CutoverEvent } from "../../src/cutover/contract";
import { rehearse, RehearsalResult } from "../../src/cutover/rehearsal/rehearse";
import { readScenario } from "../../src/cutover/rehearsal/scenario";
import type { Weights } from "../../src/config/colors";

export const scenarioDir = path.join(__dirname, "scenarios");

export const runScenario = (name: string) => rehearse(readScenario(path.join(scenarioDir, `${name}.yaml`)));

/** How a scenario ended: its status, the exit code an operator sees and the weights it left. */
export function expectEnd(result: RehearsalResult, status: string, exitCode: number, finalWeights: Weights): void {
    expect({ status: result.status, exitCode: result.exitCode, finalWeights: result.finalWeights }).toEqual({ status, exitCode, finalWeights });
}

/** The invariants every scenario must keep, whatever happened. */
export function expectSafeEnd(result: RehearsalResult): void {
    for (const [app, w] of Object.entries(result.perApp)) {
        expect(`${app} ${w.blue + w.green}`).toBe(`${app} 100`); // never 0/0, never half-moved
    }
    const lastByCheck = new Map<string, CutoverEvent>();
    for (const e of result.events) if (e.type === "gate" && e.color) lastByCheck.set(`${e.gate} ${e.app} ${e.color}`, e);
    for (const [key, e] of lastByCheck) {
        if (e.result === "fail" && !e.message?.startsWith("warning:") && result.finalWeights[e.color!] > 0) throw new Error(`traffic left on ${e.color} whose last check failed: ${key}`);
    }
    expect(result.events[result.events.length - 1].type).toBe("done");
}
