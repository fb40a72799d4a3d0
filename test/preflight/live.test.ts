/**
 * `preflight --live`, item by item on fake readers: each one passes, warns or fails with numbers and
 * what to do, and a reader that throws is that item's error while every other item still runs.
 */
import { LiveReaders, PreflightItem, PreflightReport, runPreflight } from "../../src/preflight";
import { stackView } from "../cutover/fakes";
import { albRouting, routedApp, ZONE } from "../routing/fixtures";
import { rawConfig } from "../helpers/raw-config";
import { planSettingsFor } from "./plan-settings";
import type { RegisteredTarget } from "../../src/cutover/sources";

const NOW = new Date("2026-11-28T02:00:00Z");
const healthy = (n: number): RegisteredTarget[] => Array.from({ length: n }, (_, i) => ({ id: `10.0.0.${i}`, state: "healthy" }));

function readers(overrides: Partial<LiveReaders> = {}): LiveReaders {
    return {
        view: stackView(),
        shell: {},
        credentials: async () => undefined,
        routing: { read: async () => ({ shop: { blue: 100, green: 0 } }) },
        targets: { targets: async () => healthy(2) },
        lease: async () => undefined,
        record: async () => undefined,
        stickiness: async () => [{ app: "shop", forward: { enabled: false }, targetGroups: {} }],
        requests: async () => 42,
        git: async (args) => ({ code: 0, stdout: args[0] === "rev-parse" ? "true\n" : "", stderr: "" }),
        now: () => NOW,
        ...overrides,
    };
}

async function live(overrides: Partial<LiveReaders> = {}, config: Record<string, unknown> = {}, aws: Record<string, unknown> = {}): Promise<PreflightReport> {
    const values = rawConfig({ routing: albRouting(), cutover: { bake: "10m" }, ...config });
    return runPreflight(
        { stack: "prod", stackFile: "stacks/Pulumi.prod.yaml", values, secretPaths: [], today: "2026-11-28", projectDir: "/project", otherConfig: aws, cutover: planSettingsFor([10, 50, 100], "10m", "green") },
        { scanManifests: async () => ({ findings: [], files: 1, documents: 1, skipped: [], errors: [] }), live: async () => readers(overrides) },
    );
}

const byId = (report: PreflightReport): Record<string, PreflightItem> => Object.fromEntries(report.items.filter((i) => i.id.startsWith("live")).map((i) => [i.id, i]));
const LIVE_IDS = ["live.aws", "live.weights", "live.targets", "live.lease", "live.stack-file", "live.stickiness", "live.verification"];
const boom = async (): Promise<never> => {
    throw new Error("AccessDenied: not authorized to perform this action\nmore lines");
};

test("a ready environment: every live item passes", async () => {
    const items = byId(await live());
    expect(Object.keys(items)).toEqual(LIVE_IDS);
    expect(Object.values(items).map((i) => `${i.id} ${i.status}`)).toEqual(LIVE_IDS.map((id) => `${id} pass`));
    expect(items["live.weights"].detail).toBe("the load balancer applies blue 100% / green 0% to shop, as the stack config says");
    expect(items["live.targets"].detail).toBe("shop 2 healthy (at least 1 healthy per app (minHealthyTargets))");
    expect(items["live.lease"].detail).toBe("free: nobody is running a cutover or rollback on this environment");
    expect(items["live.stack-file"].detail).toBe("stacks/Pulumi.prod.yaml is committed and unchanged");
    expect(items["live.aws"].detail).toBe("region eu-west-1, the default credential chain (no aws:profile), from the stack; credentials found");
    expect(items["live.verification"].detail).toBe("shop 42 request(s) to green in the last hour");
});

describe("each item warns or fails with the figures and what to do", () => {
    test("live weights drift from the stack config: fail with both", async () => {
        const item = byId(await live({ routing: { read: async () => ({ shop: { blue: 90, green: 10 } }) } }))["live.weights"];
        expect(item.status).toBe("fail");
        expect(item.detail).toMatch(/^drift: the load balancer applies shop blue 90% \/ green 10% but the stack config says blue 100% \/ green 0%: /);
    });

    test("dns mode reads Route 53's weighted records", async () => {
        const item = byId(await live({ view: stackView({ mode: "dns" }), routing: { read: async () => ({ shop: { blue: 50, green: 50 } }) } }))["live.weights"];
        expect(item).toMatchObject({ status: "fail", detail: expect.stringMatching(/^drift: Route 53 applies shop blue 50% \/ green 50%/) });
    });

    test("candidate target health: draining and initial are not healthy; too few healthy fails", async () => {
        const draining = byId(await live({ targets: { targets: async () => [...healthy(2), { id: "a", state: "draining" }, { id: "b", state: "initial" }] } }))["live.targets"];
        expect(draining).toMatchObject({ status: "warn", detail: expect.stringMatching(/^shop 2 healthy, 1 draining, 1 initial: initial, draining and unhealthy targets are not healthy/) });
        const none = byId(await live({ targets: { targets: async () => [{ id: "a", state: "draining" }, { id: "b", state: "unhealthy" }] } }))["live.targets"];
        expect(none).toMatchObject({ status: "fail", detail: expect.stringMatching(/^shop 0 healthy, 1 draining, 1 unhealthy: at least 1 healthy per app/) });
    });

    test("target health is read for the candidate (green), not the live color", async () => {
        const asked: string[] = [];
        await live({ targets: { targets: async (app, color) => (asked.push(`${app} ${color}`), healthy(1)) } });
        expect(asked).toEqual(["shop green"]);
    });

    test("lease: held by someone (fail), expired (warn), no table (warn)", async () => {
        const lease = { owner: "alice", host: "laptop", runId: "r1", command: "cutover" as const, startedAt: "2026-11-28T01:30:00.000Z", expiresAt: "2026-11-28T02:02:00.000Z" };
        expect(byId(await live({ lease: async () => lease }))["live.lease"]).toMatchObject({
            status: "fail",
            detail: "alice@laptop holds it since 2026-11-28T01:30:00.000Z (cutover r1), renewed until 2026-11-28T02:02:00.000Z: a cutover now stops with exit 3; wait for it to finish, or ask them",
        });
        const stale = byId(await live({ lease: async () => ({ ...lease, expiresAt: "2026-11-28T01:40:00.000Z" }) }))["live.lease"];
        expect(stale).toMatchObject({ status: "warn", detail: expect.stringMatching(/^stale: alice@laptop .* it expired at 2026-11-28T01:40:00.000Z\. If that run is dead, the cutover takes it over with --break-lease$/) });
        expect(byId(await live({ lease: undefined, record: undefined }))["live.lease"]).toMatchObject({ status: "warn", detail: expect.stringContaining("no cutover table yet") });
    });

    test("stack file: uncommitted changes, not in HEAD, not a git repository", async () => {
        const git = (answers: Record<string, { code: number; stdout: string }>): LiveReaders["git"] => async (args) => ({ ...answers[args[0]], stderr: "" });
        const modified = git({ "rev-parse": { code: 0, stdout: "true\n" }, status: { code: 0, stdout: " M stacks/Pulumi.prod.yaml\n" }, "cat-file": { code: 0, stdout: "" } });
        expect(byId(await live({ git: modified }))["live.stack-file"]).toMatchObject({ status: "warn", detail: expect.stringMatching(/^stacks\/Pulumi\.prod\.yaml has uncommitted changes \(M\): commit or stash them first/) });
        const untracked = git({ "rev-parse": { code: 0, stdout: "true\n" }, status: { code: 0, stdout: "?? stacks/Pulumi.prod.yaml\n" }, "cat-file": { code: 128, stdout: "" } });
        expect(byId(await live({ git: untracked }))["live.stack-file"]).toMatchObject({ status: "warn", detail: expect.stringMatching(/^stacks\/Pulumi\.prod\.yaml is not in HEAD \(untracked\): commit it/) });
        const notRepo = git({ "rev-parse": { code: 128, stdout: "" } });
        expect(byId(await live({ git: notRepo }))["live.stack-file"]).toMatchObject({ status: "warn", detail: expect.stringMatching(/^\/project is not a git repository/) });
    });

    test("the git runner is asked about the stack file, relative to the project", async () => {
        const calls: string[] = [];
        await live({ git: async (args, cwd) => (calls.push(`${cwd}: git ${args.join(" ")}`), { code: 0, stdout: args[0] === "rev-parse" ? "true" : "", stderr: "" }) });
        expect(calls).toEqual([
            "/project: git rev-parse --is-inside-work-tree",
            "/project: git status --porcelain -- stacks/Pulumi.prod.yaml",
            "/project: git cat-file -e HEAD:./stacks/Pulumi.prod.yaml",
        ]);
    });

    test("stickiness longer than the bake: warn with both durations; within it: pass", async () => {
        const sticky = (seconds: number): LiveReaders["stickiness"] => async () => [{ app: "shop", forward: { enabled: true, durationSeconds: seconds }, targetGroups: { green: { enabled: true, type: "lb_cookie", durationSeconds: 86400 } } }];
        const long = byId(await live({ stickiness: sticky(3600) }))["live.stickiness"];
        expect(long.status).toBe("warn");
        expect(long.detail).toMatch(/^the weighted rules keep a user on one color for shop 1h, longer than the 10m bake: .* Lower routing\.stickiness\.durationSeconds to at most 600 or bake longer$/);
        const short = byId(await live({ stickiness: sticky(300) }))["live.stickiness"];
        expect(short).toMatchObject({ status: "pass", detail: expect.stringMatching(/^shop sticky 5m; shop target groups: green lb_cookie 24h \(keeps a session on one target, not on one color\): no session outlasts the 10m bake$/) });
    });

    test("region and profile: the shell's differ from the stack's", async () => {
        const items = byId(await live({ shell: { region: "us-east-1", profile: "dev" } }, {}, { "aws:profile": "prod-admin" }));
        expect(items["live.aws"].status).toBe("warn");
        expect(items["live.aws"].detail).toMatch(/^bluegreen uses the stack's region eu-west-1, profile prod-admin \(aws:profile\), but your shell's AWS_REGION is us-east-1 and AWS_PROFILE is dev: /);
        expect(byId(await live({ shell: { region: "eu-west-1", profile: "prod-admin" } }, {}, { "aws:profile": "prod-admin" }))["live.aws"].status).toBe("pass");
    });

    test("no requests to the candidate in the last hour: nobody checked it on the verification port", async () => {
        const windows: string[] = [];
        const items = byId(await live({ requests: async (app, color, start, end) => (windows.push(`${app} ${color} ${start.toISOString()}..${end.toISOString()}`), 0) }));
        expect(items["live.verification"]).toMatchObject({ status: "warn", detail: expect.stringMatching(/^nobody checked green on the verification port 8443 in the last hour \(0 requests/) });
        expect(windows).toEqual(["shop green 2026-11-28T01:00:00.000Z..2026-11-28T02:00:00.000Z"]);
        const off = byId(await live({}, { routing: albRouting({ verification: { enabled: false } }) }))["live.verification"];
        expect(off).toMatchObject({ status: "warn", detail: expect.stringContaining("the verification listener is off") });
    });
});

test("an API error is that item's error; the other items still run", async () => {
    const cases: Array<[string, Partial<LiveReaders>]> = [
        ["live.aws", { credentials: boom }],
        ["live.weights", { routing: { read: boom } }],
        ["live.targets", { targets: { targets: boom } }],
        ["live.lease", { lease: boom }],
        ["live.stack-file", { git: boom }],
        ["live.stickiness", { stickiness: boom }],
        ["live.verification", { requests: boom }],
    ];
    for (const [id, broken] of cases) {
        const report = await live(broken);
        const items = byId(report);
        expect(Object.keys(items)).toEqual(LIVE_IDS);
        expect(items[id].status).toBe("fail");
        expect(items[id].detail).toMatch(/^could not be checked: (no AWS credentials for the default chain \()?AccessDenied: not authorized to perform this action/);
        for (const other of LIVE_IDS.filter((i) => i !== id)) expect(items[other].status).toBe("pass");
    }
});

test("readers that cannot be opened (no Pulumi, no credentials): one failed item, bad input", async () => {
    const { UserInputError } = await import("../../src/errors");
    const values = rawConfig({ routing: albRouting() });
    const report = await runPreflight(
        { stack: "prod", stackFile: "stacks/Pulumi.prod.yaml", values, secretPaths: [], today: "2026-11-28", projectDir: "/project", cutover: planSettingsFor([10, 50, 100], "10m") },
        { scanManifests: async () => ({ findings: [], files: 1, documents: 1, skipped: [], errors: [] }), live: async () => Promise.reject(new UserInputError("the Pulumi CLI (`pulumi`) is not on PATH: install it")) },
    );
    const item = report.items.find((i) => i.id === "live")!;
    expect(item).toEqual({ id: "live", title: "Live checks", status: "fail", detail: "not run: the Pulumi CLI (`pulumi`) is not on PATH: install it", badInput: true });
    expect(report.items.filter((i) => i.id.startsWith("live."))).toEqual([]);
    expect(report.plan!.startFrom).toBe("stack config");
});

describe("dns mode: the plan's gates are the ones the cutover builds after following the weighted records", () => {
    const lb = { dnsName: "k8s-blue-1234.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" };
    const dnsConfig = { routing: { mode: "dns", weights: { blue: 100, green: 0 }, hostedZoneId: ZONE, apps: [routedApp("shop")], dns: { loadBalancers: { blue: lb, green: lb } } } };
    const dnsView = () => stackView({ mode: "dns", hostedZoneId: ZONE, apps: { shop: { hostnames: ["shop.example.com"], targetGroupArns: {} } } });
    const loadBalancer = (color: string) => ({
        records: [`shop.example.com (${color})`],
        arn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/k8s-${color}/0123456789abcdef`,
        dimension: `app/k8s-${color}/0123456789abcdef`,
        dnsName: `k8s-${color}-1234.eu-west-1.elb.amazonaws.com`,
        targetGroupArns: [`arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-shop-${color}/0123456789abcdef`],
        evaluatesTargetHealth: true,
    });
    const gateLines = (report: PreflightReport) => report.items.filter((i) => i.id === "plan.gate").map((i) => i.detail);

    test("followed: the traffic and target-health gates are planned, for the candidate the cutover will judge", async () => {
        const asked: Array<{ candidate: string; hostnames?: string[]; zone?: string }> = [];
        const report = await live({
            view: dnsView(),
            routing: { read: async () => ({ shop: { blue: 100, green: 0 } }) },
            resolveGateView: async (view, candidate) => {
                asked.push({ candidate, hostnames: view.apps.shop.hostnames, zone: view.hostedZoneId });
                return { ...view, dns: { shop: { blue: loadBalancer("blue"), green: loadBalancer("green") } } };
            },
        }, dnsConfig, { "aws:region": "eu-west-1" });
        expect(asked).toEqual([{ candidate: "green", hostnames: ["shop.example.com"], zone: ZONE }]);
        expect(gateLines(report).some((l) => l.startsWith("target-5xx [traffic]"))).toBe(true);
        expect(gateLines(report).some((l) => l.startsWith("target-health [health]"))).toBe(true);
        expect(report.items.filter((i) => i.id === "plan.ungated" || i.title === "Cutover would refuse")).toEqual([]);
    });

    test("not followed: the cutover's refusal, with the record and what to do, is a failure of the plan", async () => {
        const report = await live({
            view: dnsView(),
            resolveGateView: async () => {
                throw new Error("the weighted record shop.example.com (green) in zone Z0123456789ABC does not exist: run pulumi up");
            },
        }, dnsConfig, { "aws:region": "eu-west-1" });
        const refusals = report.items.filter((i) => i.title === "Cutover would refuse" && i.status === "fail").map((i) => i.detail);
        expect(refusals).toContain("the weighted record shop.example.com (green) in zone Z0123456789ABC does not exist: run pulumi up");
    });
});
