/**
 * The plan runner's own contract: plans run one after another in one process, and the SDK's
 * per-promise stack capture (which dominates a plan's time) and its per-resource source positions
 * are off only while a plan runs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { recordPlan } from "../../src/plan/run";

const resourceStatics = pulumi.Resource as unknown as { callsites(): unknown[] };
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };

describe("recordPlan", () => {
    test("turns the SDK's promise stack capture off while the program runs and puts it back after", async () => {
        const original = debuggable.debuggablePromise;
        let during: unknown;
        const plan = await recordPlan(() => {
            during = debuggable.debuggablePromise;
            new aws.s3.Bucket("b", { bucket: "plan-run-test" });
        }, { stack: "dev", region: "eu-west-1" });
        expect(during).not.toBe(original);
        expect(debuggable.debuggablePromise).toBe(original);
        expect(plan.resources.map((r) => r.name)).toEqual(["b"]);
    });

    test("reads no source position per resource (a full-depth stack each) while the program runs, and puts that back after", async () => {
        const callsites = jest.spyOn(resourceStatics, "callsites");
        try {
            await recordPlan(() => { new aws.s3.Bucket("b", { bucket: "plan-run-test" }); }, { stack: "dev", region: "eu-west-1" });
            expect(callsites).not.toHaveBeenCalled();
            expect(resourceStatics.callsites).toBe(callsites);
        } finally {
            callsites.mockRestore();
        }
    });

    test("puts it back when the program throws", async () => {
        const original = debuggable.debuggablePromise;
        await expect(recordPlan(() => { throw new Error("broken program"); }, { stack: "dev", region: "eu-west-1" })).rejects.toThrow("broken program");
        expect(debuggable.debuggablePromise).toBe(original);
    });

    test("two plans started together run one after the other and each records only its own resources", async () => {
        const [a, b] = await Promise.all([
            recordPlan(() => { new aws.s3.Bucket("first", {}); }, { stack: "dev", region: "eu-west-1" }),
            recordPlan(() => { new aws.s3.Bucket("second", {}); }, { stack: "dev", region: "eu-west-1" }),
        ]);
        expect(a.resources.map((r) => r.name)).toEqual(["first"]);
        expect(b.resources.map((r) => r.name)).toEqual(["second"]);
    });
});
