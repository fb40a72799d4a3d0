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
import { PulumiStackOperations } from "../../src/cutover/automation";
import { awsGates } from "../../src/cutover/aws-gates";
import { systemClock } from "../../src/cutover/model";
import { runCutover, runRollback } from "../../src/cutover/run";

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
            "bluegreen:network": { value: JSON.stringify({ cidr: "10.77.0.0/16", natGateways: "single", availabilityZoneCount: 2 }) },
            "bluegreen:clusters": { value: JSON.stringify({ blue: cluster("1.33"), green: cluster("1.34") }) },
            "bluegreen:routing": {
                value: JSON.stringify({
                    weights: { blue: 100, green: 0 },
                    hostedZoneId: process.env.BLUEGREEN_E2E_ZONE_ID,
                    certificateArn: process.env.BLUEGREEN_E2E_CERT_ARN,
                    loadBalancer: { deletionProtection: false },
                    verification: { enabled: false },
                    apps: [{ name: "guestbook", hostnames: [`guestbook-${stackName}.${domain}`], namespace: "default", service: { name: "guestbook-ui", port: 80 } }],
                }),
            },
            "bluegreen:cutover": { value: JSON.stringify({ bake: "3m", interval: "30s" }) },
        });
        await stack.up({ onOutput: (o) => process.stdout.write(o) });
    });

    afterAll(async () => {
        if (!stack) return;
        // Protection follows traffic: unprotect everything before destroying the test stack.
        execFileSync("pulumi", ["state", "unprotect", "--all", "--yes", "--stack", stackName], { cwd: projectDir, stdio: "inherit" });
        await stack.destroy({ onOutput: (o) => process.stdout.write(o) });
        await stack.workspace.removeStack(stackName);
    });

    test("cut over to green in steps with real gates, then roll back to blue", async () => {
        const operations = await PulumiStackOperations.select(stackName, projectDir);
        const view = await operations.read();
        const thresholds = { minHealthyTargets: 1, max5xxRate: 0.05 };
        const log = (line: string) => process.stdout.write(`${line}\n`);
        const outcome = await runCutover(
            { target: "green", steps: [10, 50, 100], bakeMs: 3 * 60_000, intervalMs: 30_000, onFailure: "previous-step" },
            { stack: operations, gates: awsGates(view, "green", thresholds), clock: systemClock, log },
        );
        expect(outcome.status).toBe("completed");
        expect((await operations.read()).weights).toEqual({ blue: 0, green: 100 });

        const rollback = await runRollback({ stack: operations, log });
        expect(rollback.after).toEqual({ blue: 100, green: 0 });
        expect((await operations.read()).weights).toEqual({ blue: 100, green: 0 });
    });
});
