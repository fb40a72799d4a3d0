import { EventStreamError, fileEventSource, parseEvents, selectRun } from "../../src/report/events";

const line = (o: Record<string, unknown>) => JSON.stringify({ ts: "2026-11-27T01:00:00Z", run: "r1", type: "start", ...o });

describe("reading the event stream", () => {
    it("reads one event per line, skipping blank lines, keeping the fields the report uses", () => {
        const text = [line({ weights: { blue: 100, green: 0 } }), "", line({ type: "gate", gate: "p99-latency", app: "shop", color: "green", result: "fail", value: 912, threshold: 800 }), ""].join("\n");
        const events = parseEvents(text, "events.ndjson");
        expect(events).toHaveLength(2);
        expect(events[1]).toMatchObject({ type: "gate", gate: "p99-latency", app: "shop", color: "green", result: "fail", value: 912, threshold: 800 });
    });

    it("accepts event types and fields it does not know (the stream may grow)", () => {
        const events = parseEvents(line({ type: "lease-taken", holder: "alice" }), "e");
        expect(events[0].type).toBe("lease-taken");
    });

    it.each([
        ["not JSON", "{\"ts\": ", /events\.ndjson line 2 is not JSON/],
        ["a JSON array", "[1,2]", /events\.ndjson line 2 is not a cutover event/],
        ["no time", JSON.stringify({ run: "r1", type: "start" }), /line 2 is not a cutover event: "ts"/],
        ["a time that is not one", line({ ts: "yesterday" }), /line 2 is not a cutover event: "ts" must be an ISO 8601 time/],
        ["an unknown color", line({ type: "gate", color: "red" }), /line 2 .*"color"/],
        ["an unknown result", line({ type: "gate", result: "ok" }), /line 2 .*"result"/],
        ["weights that are not numbers", line({ weights: { blue: "100", green: 0 } }), /line 2 .*"weights\.blue"/],
        ["a value that is not a number", line({ type: "gate", value: "0.1" }), /line 2 .*"value"/],
    ])("refuses %s, naming the line", (_name, bad, message) => {
        const text = [line({}), bad, line({ type: "done" })].join("\n");
        expect(() => parseEvents(text, "events.ndjson")).toThrow(EventStreamError);
        expect(() => parseEvents(text, "events.ndjson")).toThrow(message);
    });

    it("refuses an empty stream", () => {
        expect(() => parseEvents("\n\n", "events.ndjson")).toThrow(/events\.ndjson holds no events/);
    });

    it("refuses a stream of several runs unless one is picked, and an unknown run", () => {
        const events = parseEvents([line({}), line({ run: "r2" }), line({ run: "r2", type: "done" })].join("\n"), "e");
        expect(() => selectRun(events, "e")).toThrow(/2 runs \(r1, r2\); pick one with --run/);
        expect(selectRun(events, "e", "r2").map((e) => e.type)).toEqual(["start", "done"]);
        expect(() => selectRun(events, "e", "r3")).toThrow(/no events of run "r3"/);
    });

    it("reads a file through the source interface, and says when it cannot", async () => {
        const source = fileEventSource("run.ndjson", async () => line({}));
        expect(source.description).toBe("run.ndjson");
        expect(await source.read()).toHaveLength(1);
        const missing = fileEventSource("missing.ndjson", async () => { throw new Error("ENOENT: no such file"); });
        await expect(missing.read()).rejects.toThrow(/cannot read missing\.ndjson: ENOENT/);
    });
});
