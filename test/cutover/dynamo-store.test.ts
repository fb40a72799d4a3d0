import { localDynamo } from "../helpers/local-dynamo";
import { DynamoCutoverStore, LeaseLostError } from "../../src/cutover/dynamo-store";
import type { CutoverRecord, Lease } from "../../src/cutover/record";

const dynamo = localDynamo("prod-cutover");
const table = () => dynamo.table();

const T0 = Date.parse("2026-11-27T23:00:00Z");
const lease = (runId: string, owner: string, minutes = 5): Lease => ({ owner, host: `${owner}-laptop`, runId, command: "cutover", startedAt: new Date(T0).toISOString(), expiresAt: new Date(T0 + minutes * 60_000).toISOString() });
const record = (runId: string, step: number): CutoverRecord => ({ runId, command: "cutover", from: "blue", to: "green", phase: "running", stepIndex: step, verifiedWeights: { blue: 90, green: 10 }, bakedPercents: [], rules: [], updatedAt: new Date(T0).toISOString() });

describe("the lease and record in DynamoDB (dynalite)", () => {
    test("two engines racing for the lease: exactly one gets it, the other is told who holds it", async () => {
        const name = await table();
        const a = new DynamoCutoverStore(dynamo.client, name);
        const b = new DynamoCutoverStore(dynamo.client, name);
        const results = await Promise.all([a.acquireLease(lease("run-a", "alice"), new Date(T0), false), b.acquireLease(lease("run-b", "bob"), new Date(T0), false)]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const loser = results.find((r) => !r.ok)!;
        const winner = results[0].ok ? "alice" : "bob";
        expect(loser.ok === false && loser.holder.owner).toBe(winner);
    });

    test("a live lease is not taken even with --break-lease; a stale one only with it", async () => {
        const name = await table();
        const a = new DynamoCutoverStore(dynamo.client, name);
        const b = new DynamoCutoverStore(dynamo.client, name);
        expect((await a.acquireLease(lease("run-a", "alice"), new Date(T0), false)).ok).toBe(true);
        expect(await b.acquireLease(lease("run-b", "bob"), new Date(T0 + 60_000), true)).toMatchObject({ ok: false, stale: false, holder: { owner: "alice", startedAt: new Date(T0).toISOString() } });
        const later = new Date(T0 + 10 * 60_000);
        expect(await b.acquireLease(lease("run-b", "bob"), later, false)).toMatchObject({ ok: false, stale: true });
        expect(await b.acquireLease(lease("run-b", "bob"), later, true)).toMatchObject({ ok: true, tookOver: { owner: "alice" } });
        // the superseded engine can neither renew nor write progress
        expect(await a.renewLease("run-a", new Date(T0 + 20 * 60_000).toISOString())).toBe(false);
        await b.writeRecord(record("run-b", 2));
        await expect(a.writeRecord(record("run-a", 3))).rejects.toThrow(LeaseLostError);
        expect(await b.readRecord()).toMatchObject({ runId: "run-b", stepIndex: 2 });
    });

    test("renew extends our lease; release frees it for the next run; events are appended", async () => {
        const name = await table();
        const a = new DynamoCutoverStore(dynamo.client, name);
        await a.acquireLease(lease("run-a", "alice"), new Date(T0), false);
        expect(await a.renewLease("run-a", new Date(T0 + 30 * 60_000).toISOString())).toBe(true);
        const b = new DynamoCutoverStore(dynamo.client, name);
        expect(await b.acquireLease(lease("run-b", "bob"), new Date(T0 + 10 * 60_000), true)).toMatchObject({ ok: false, stale: false });
        await a.appendEvents("run-a", [{ ts: new Date(T0).toISOString(), run: "run-a", type: "start" }]);
        await a.releaseLease("run-a");
        expect(await b.acquireLease(lease("run-b", "bob"), new Date(T0 + 10 * 60_000), false)).toMatchObject({ ok: true });
        expect(await a.readRecord()).toBeUndefined();
    });
});

describe("who holds the lease, read only (preflight --live)", () => {
    test("none on a new table; the holder with its expiry while held; none again after release, the fence kept", async () => {
        const name = await table();
        const reader = new DynamoCutoverStore(dynamo.client, name);
        expect(await reader.readLease()).toBeUndefined();
        const engine = new DynamoCutoverStore(dynamo.client, name);
        await engine.acquireLease(lease("r1", "alice"), new Date(T0), false);
        await engine.renewLease("r1", new Date(T0 + 9 * 60_000).toISOString());
        expect(await reader.readLease()).toEqual({ ...lease("r1", "alice"), expiresAt: new Date(T0 + 9 * 60_000).toISOString() });
        await engine.releaseLease("r1");
        expect(await reader.readLease()).toBeUndefined();
        // Reading changed nothing: the next engine still gets the lease.
        expect(await new DynamoCutoverStore(dynamo.client, name).acquireLease(lease("r2", "bob"), new Date(T0), false)).toMatchObject({ ok: true });
    });
});

describe("two engines on one table", () => {
    test("an engine whose lease was broken stops at its next check and changes no weight, and cannot overwrite the new holder's record", async () => {
        const { rehearse, rehearsalGates } = await import("../../src/cutover/rehearsal/rehearse");
        const { parseScenario } = await import("../../src/cutover/rehearsal/scenario");
        const name = await table();
        const oldEngine = new DynamoCutoverStore(dynamo.client, name);
        const newEngine = new DynamoCutoverStore(dynamo.client, name);
        const scenario = parseScenario("command: cutover\nto: green\nstart: { weights: { blue: 100, green: 0 } }\nsettings: { bake: 10m, interval: 1m }");
        let broke = false;
        const result = await rehearse(scenario, {
            store: oldEngine,
            gates: (world, s) => [...rehearsalGates(world, s), {
                name: "colleague", kind: "manual", describe: () => "breaks the lease 5 minutes into the first bake",
                async check() {
                    if (!broke && world.clock.now() >= Date.parse("2026-01-01T00:05:00Z")) {
                        broke = true;
                        const taken = await newEngine.acquireLease(lease("run-new", "bob", 60), new Date("2030-01-01T00:00:00Z"), true);
                        expect(taken).toMatchObject({ ok: true, tookOver: { owner: "rehearsal" } });
                    }
                    return [];
                },
            }],
        });
        expect(result.status).toBe("interrupted");
        expect(result.finalWeights).toEqual({ blue: 90, green: 10 });
        expect(result.world.calls.update).toBe(1);
        expect(result.events.some((e) => e.type === "error" && /lease was taken by someone else/.test(e.message ?? ""))).toBe(true);
        await newEngine.writeRecord({ runId: "run-new", command: "cutover", from: "blue", to: "green", phase: "running", stepIndex: 1, verifiedWeights: { blue: 90, green: 10 }, bakedPercents: [], rules: [], updatedAt: "2030-01-01T00:00:00Z" });
        await expect(oldEngine.writeRecord({ ...(await oldEngine.readRecord())!, runId: "rehearsal", stepIndex: 2 })).rejects.toThrow(LeaseLostError);
        expect(await newEngine.readRecord()).toMatchObject({ runId: "run-new" });
    });
});

describe("rollback --direct without Pulumi", () => {
    test("reads the rules from the table's record, moves them with ModifyRule, records the rollback; no Pulumi call", async () => {
        const { mockClient } = await import("aws-sdk-client-mock");
        const elbv2 = await import("@aws-sdk/client-elastic-load-balancing-v2");
        const { runRollbackCommand } = await import("../../src/cli/commands/rollback");
        const { directDeps } = await import("../../src/cli/commands/operator");
        const name = await table();
        const tg = (c: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-${c}/0${c === "blue" ? "a" : "b"}`;
        const seed = new DynamoCutoverStore(dynamo.client, name);
        await seed.acquireLease(lease("cut-1", "alice"), new Date(T0), false);
        await seed.writeRecord({ ...record("cut-1", 3), phase: "completed", verifiedWeights: { blue: 0, green: 100 }, rules: [{ app: "shop", ruleArn: "rule-shop", targetGroupArns: { blue: tg("blue"), green: tg("green") } }] });
        await seed.releaseLease("cut-1");
        const weights = { blue: 0, green: 100 };
        const elb = mockClient(elbv2.ElasticLoadBalancingV2Client);
        elb.on(elbv2.DescribeRulesCommand).callsFake(() => ({ Rules: [{ RuleArn: "rule-shop", Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg("blue"), Weight: weights.blue }, { TargetGroupArn: tg("green"), Weight: weights.green }] } }] }] }));
        elb.on(elbv2.ModifyRuleCommand).callsFake((input: { Actions: Array<{ ForwardConfig: { TargetGroups: Array<{ TargetGroupArn: string; Weight: number }> } }> }) => {
            for (const t of input.Actions[0].ForwardConfig.TargetGroups) weights[t.TargetGroupArn.includes("blue") ? "blue" : "green"] = t.Weight;
            return {};
        });
        elb.on(elbv2.DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ Target: { Id: "10.0.0.1" }, TargetHealth: { State: "healthy" } }] });
        const env = { ...process.env };
        process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
        process.env.AWS_ACCESS_KEY_ID = "test";
        process.env.AWS_SECRET_ACCESS_KEY = "test";
        process.env.PATH = "/nonexistent"; // no pulumi anywhere
        const out = { stdout: "", stderr: "" };
        try {
            const code = await runRollbackCommand({ stack: "prod", cwd: __dirname, json: false, direct: true, table: name, region: "eu-west-1", watch: "0s" }, { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) }, () => directDeps({ table: name, region: "eu-west-1" }));
            expect({ code, stderr: out.stderr }).toEqual({ code: 0, stderr: "" });
        } finally {
            process.env = env;
            elb.restore();
        }
        expect(weights).toEqual({ blue: 100, green: 0 });
        expect(await seed.readRecord()).toMatchObject({ command: "rollback", phase: "rolled-back", to: "blue", verifiedWeights: { blue: 100, green: 0 } });
        expect(out.stdout).toMatch(/1 rule\(s\) moved with 1 ELBv2 call\(s\)/);
    });
});
