/**
 * End to end, against a real AWS account (`npm run test:e2e`): create a small environment with a
 * temporary stack, deploy a sample app through ArgoCD, cut over blue → green, roll back, destroy.
 * It costs money and takes about an hour, so it runs only when asked to:
 *   BLUEGREEN_E2E=1                  the explicit opt-in
 *   AWS credentials                  AWS_PROFILE, or AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY
 *   the Pulumi CLI on PATH           (and `pulumi login` done; PULUMI_CONFIG_PASSPHRASE for a local backend)
 *   BLUEGREEN_E2E_REGION, BLUEGREEN_E2E_ZONE_ID, BLUEGREEN_E2E_DOMAIN, BLUEGREEN_E2E_CERT_ARN
 *                                    a region, a Route 53 zone, a domain in it, an ACM certificate for *.<domain>
 */
import { execFileSync } from "child_process";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { realDeps } from "../../src/cli/commands/operator";
import { resolveGateSettings } from "../../src/cutover/gates/set";
import { eventSink } from "../../src/cutover/events";
import { runCutover, runRollback } from "../../src/cutover/run";

/** `{a: {b: [x]}}` → `{"ns:a.b[0]": x}`: config set as objects through path keys, never as JSON strings. */
function pathConfig(namespace: string, values: Record<string, unknown>): Record<string, { value: string }> {
    const out: Record<string, { value: string }> = {};
    const walk = (prefix: string, value: unknown) => {
        if (Array.isArray(value)) value.forEach((v, i) => walk(`${prefix}[${i}]`, v));
        else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
        else out[`${namespace}:${prefix}`] = { value: String(value) };
    };
    walk("", values);
    return out;
}

function missingPrerequisites(): string[] {
    const missing: string[] = [];
    if (process.env.BLUEGREEN_E2E !== "1") missing.push("BLUEGREEN_E2E=1 (explicit opt-in: this creates billable AWS resources)");
    if (!process.env.AWS_PROFILE && !(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY)) missing.push("AWS credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)");
    try {
        execFileSync("pulumi", ["version"], { stdio: "ignore" });
    } catch {
        missing.push("the Pulumi CLI on PATH");
    }
    for (const name of ["BLUEGREEN_E2E_REGION", "BLUEGREEN_E2E_ZONE_ID", "BLUEGREEN_E2E_DOMAIN", "BLUEGREEN_E2E_CERT_ARN"]) {
        if (!process.env[name]) missing.push(name);
    }
    return missing;
}

const missing = missingPrerequisites();
const describeE2E = missing.length === 0 ? describe : describe.skip;
if (missing.length) {
    console.warn(`Skipping the end-to-end test against AWS; it needs: ${missing.join("; ")}.`);
}

describeE2E("blue/green on a real AWS account", () => {
    const projectDir = path.resolve(__dirname, "..", "..");
    const stackName = `e2e-${Date.now().toString(36)}`;
    const domain = process.env.BLUEGREEN_E2E_DOMAIN!;
    // The root Application deploys the bootstrap path into the Argo CD namespace: the routed app lives there.
    const appNamespace = "argocd";
    let stack: Stack;
    const cluster = (version: string) => ({
        version,
        nodeGroups: [{ name: "system", instanceTypes: ["t3.large"], minSize: 2, desiredSize: 2, maxSize: 3 }],
        deletionProtection: false,
        addons: {
            argocd: { bootstrap: { repoURL: "https://github.com/argoproj/argocd-example-apps.git", path: "guestbook", targetRevision: "HEAD" } },
            "external-dns": { domainFilters: [domain], zoneIdFilters: [process.env.BLUEGREEN_E2E_ZONE_ID!] },
        },
    });

    beforeAll(async () => {
        stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: projectDir });
        await stack.setAllConfig({
            "aws:region": { value: process.env.BLUEGREEN_E2E_REGION! },
            ...pathConfig("bluegreen", {
                network: { cidr: "10.77.0.0/16", natGateways: "single", availabilityZoneCount: 2 },
                clusters: { blue: cluster("1.33"), green: cluster("1.34") },
                routing: {
                    weights: { blue: 100, green: 0 },
                    hostedZoneId: process.env.BLUEGREEN_E2E_ZONE_ID,
                    certificateArn: process.env.BLUEGREEN_E2E_CERT_ARN,
                    loadBalancer: { deletionProtection: false },
                    verification: { enabled: false },
                    apps: [{ name: "guestbook", hostnames: [`guestbook-${stackName}.${domain}`], namespace: appNamespace, service: { name: "guestbook-ui", port: 80 } }],
                },
                cutover: { bake: "3m", interval: "30s", minRequests: 0 },
            }),
        }, true);
        await stack.up({ onOutput: (o) => process.stdout.write(o) });
    });

    afterAll(async () => {
        if (!stack) return;
        // Protection follows traffic: unprotect everything before destroying the test stack.
        execFileSync("pulumi", ["state", "unprotect", "--all", "--yes", "--stack", stackName], { cwd: projectDir, stdio: "inherit" });
        await stack.destroy({ onOutput: (o) => process.stdout.write(o) });
        await stack.workspace.removeStack(stackName);
    });

    test("cut over to green in steps with real gates, then roll back to blue and measure how long it takes", async () => {
        // Region, table and clients come from the stack (aws:region, outputs), not from the shell.
        const deps = await realDeps({ stack: stackName, cwd: projectDir });
        const view = await deps.stack.read();
        // The shortest timing the traffic gates accept: one metric period plus the settle delay, checked each minute.
        const settings = { steps: [10, 50, 100], bakeMs: 3 * 60_000, intervalMs: 60_000, onFailure: "abort" as const, consecutiveErrorLimit: 4, failureLimit: 0 };
        const gateSettings = resolveGateSettings(undefined, { bake: "3m", interval: "1m", minHealthyTargets: "1", max5xxRate: "0.05", minRequests: "1" });
        const thresholds = { minHealthyTargets: 1, max5xxRate: 0.05, minRequests: 1, gates: gateSettings };
        const gates = await deps.gates(view, "green", thresholds, "cutover");
        const engine = (runId: string) => ({
            stack: deps.stack, live: deps.live, store: deps.store, clock: deps.clock, runId, rules: deps.rules, identity: { owner: "e2e", host: "ci" },
            events: eventSink({ run: runId, now: () => Date.now(), human: (l) => process.stdout.write(`${l}\n`) }),
            gates,
        });
        const outcome = await runCutover({ target: "green" }, settings, engine("e2e-cutover"));
        expect(outcome.status).toBe("completed");
        expect(await deps.live.read(view)).toEqual({ guestbook: { blue: 0, green: 100 } });

        const started = Date.now();
        const rollback = await runRollback({ force: false, watchMs: 60_000, targetHealth: deps.targetHealth }, settings, { ...engine("e2e-rollback"), gates: [] });
        const latencyMs = Date.now() - started;
        process.stdout.write(`rollback latency (start → weights read back from the ALB): ${(latencyMs / 1000).toFixed(1)} s\n`);
        expect(rollback.status).toBe("rolled-back");
        expect(await deps.live.read(view)).toEqual({ guestbook: { blue: 100, green: 0 } });
        expect((await deps.stack.read()).previousColor).toBeUndefined();
    });
});
