/**
 * Times `bluegreen rehearse` on the figure: a cutover of 3 steps × 15 min bake × 50 apps at a
 * 30 s interval (about 95 gate rounds, 48 000 gate checks of the real gate set: traffic per app and
 * color, load balancer, target health, endpoints, workloads) on the simulated world, through the real
 * engine. Target: under 2 s. A rehearsal with a failure and a previous-step fallback is timed too.
 */
import { rehearse } from "../src/cutover/rehearsal/rehearse";
import { parseScenario } from "../src/cutover/rehearsal/scenario";
import { measure } from "./measure";

const TARGET_MS = 2000;
const APPS = Array.from({ length: 50 }, (_, i) => `app-${i}`);

const scenario = (extra = "") => parseScenario(`
command: cutover
to: green
start: { weights: { blue: 100, green: 0 } }
apps: [${APPS.join(", ")}]
settings: { steps: [10, 50, 100], bake: 15m, interval: 30s, onFailure: previous-step }
${extra}
`);

export async function benchRehearse(): Promise<void> {
    const clean = scenario();
    const first = await rehearse(clean);
    const checks = first.events.filter((e) => e.type === "gate").length;
    console.log(`  3 steps × 15 min × 50 apps @ 30 s: ${first.status}, ${checks} gate checks, ${first.events.length} events, simulated ${(first.elapsedMs / 60_000).toFixed(1)} min`);
    const ms = await measure("rehearse (clean cutover)", () => rehearse(clean), 5);
    const failing = scenario("world: [{ at: 20m, color: green, app: app-7, errorRate5xx: 0.2 }]");
    await measure("rehearse (failure at 50 %, previous-step fallback)", () => rehearse(failing), 5);
    console.log(`  target < ${TARGET_MS} ms: ${ms < TARGET_MS ? "ok" : "OVER TARGET"}`);
    if (ms >= TARGET_MS) process.exitCode = 1;
}
