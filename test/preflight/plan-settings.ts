/** Cutover settings for preflight tests, resolved as the cutover does for a stack that sets `steps` and `bake`. */
import type { Color } from "../../src/config/colors";
import { resolveGateSettings } from "../../src/cutover/gates/set";
import type { PlanSettings } from "../../src/preflight";

export function planSettingsFor(steps: number[], bake: string, target?: Color): PlanSettings {
    return {
        engine: { steps, bakeMs: Number(bake.replace("m", "")) * 60_000, intervalMs: 60_000, onFailure: "abort", consecutiveErrorLimit: 3, failureLimit: 1 },
        gates: resolveGateSettings({ steps, bake }, {}),
        origins: { steps: "stack config", onFailure: "default" },
        ...(target ? { target } : {}),
        allowUngated: false,
    };
}
