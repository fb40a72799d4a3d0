/** The weights metric follows what the load balancer was read back to apply, and never stops a run. */
import { eventSink } from "../../src/cutover/events";
import { withVerifiedWeights } from "../../src/cli/commands/operator";

describe("withVerifiedWeights", () => {
    test("publishes only verified weights (a verify event that passed), once per event", async () => {
        const published: string[] = [];
        const sink = withVerifiedWeights(eventSink({ run: "r1", now: () => 0 }), async (w) => { published.push(`${w.blue}/${w.green}`); });
        sink.emit({ type: "update-done", weights: { blue: 90, green: 10 } });
        sink.emit({ type: "verify", weights: { blue: 90, green: 10 }, result: "pass" });
        sink.emit({ type: "verify", weights: { blue: 50, green: 50 }, result: "fail" });
        sink.emit({ type: "verify", weights: { blue: 0, green: 100 }, result: "pass" });
        await new Promise((r) => setImmediate(r));
        expect(published).toEqual(["90/10", "0/100"]);
        expect(sink.events.map((e) => e.type)).toEqual(["update-done", "verify", "verify", "verify"]);
    });

    test("a publisher that fails does not fail the event stream", async () => {
        const sink = withVerifiedWeights(eventSink({ run: "r1", now: () => 0 }), async () => { throw new Error("AccessDenied"); });
        expect(() => sink.emit({ type: "verify", weights: { blue: 0, green: 100 }, result: "pass" })).not.toThrow();
        await new Promise((r) => setImmediate(r));
    });
});
