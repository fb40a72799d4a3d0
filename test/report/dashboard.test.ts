import { buildDashboardBody, dashboardName, DashboardWidget } from "../../src/report/dashboard";

const LB = "app/prod-alb/50dc6c495c0c9188";
const TG = (app: string, color: string) => `targetgroup/prod-${app}-${color}/${app.length}${color.length}aa`;

const body = buildDashboardBody({
    environment: "prod",
    region: "eu-west-1",
    loadBalancer: LB,
    apps: [
        { name: "shop", targetGroups: { blue: TG("shop", "blue"), green: TG("shop", "green") } },
        { name: "api", targetGroups: { blue: TG("api", "blue"), green: TG("api", "green") } },
    ],
});

type Row = (string | Record<string, unknown>)[];
const metricsOf = (w: DashboardWidget) => w.properties.metrics as Row[];
const widget = (title: string) => {
    const found = body.widgets.find((w) => w.properties.title === title);
    if (!found) throw new Error(`no widget "${title}" (have: ${body.widgets.map((w) => w.properties.title).join(", ")})`);
    return found;
};
/** The dimensions of a metric row as a map. */
function dims(row: Row): Record<string, string> {
    const names = row.slice(2).filter((x): x is string => typeof x === "string");
    const out: Record<string, string> = {};
    for (let i = 0; i + 1 < names.length; i += 2) out[names[i]] = names[i + 1];
    return out;
}
const options = (row: Row) => row[row.length - 1] as Record<string, unknown>;

describe("the environment's CloudWatch dashboard body", () => {
    it("shows the cutover's published weights per color, from the metric publishWeights writes", () => {
        const rows = metricsOf(widget("Traffic weights (% per color, published by the cutover)"));
        expect(rows.map((r) => [r[0], r[1], dims(r)])).toEqual([
            ["Bluegreen", "TrafficWeight", { Environment: "prod", Color: "blue" }],
            ["Bluegreen", "TrafficWeight", { Environment: "prod", Color: "green" }],
        ]);
    });

    it("shows the load balancer's own 5xx on the load balancer dimension", () => {
        const rows = metricsOf(widget("Load balancer: its own 5xx (502/503/504) and requests"));
        expect(rows.find((r) => r[1] === "HTTPCode_ELB_5XX_Count")).toBeDefined();
        for (const r of rows) expect(dims(r)).toEqual({ LoadBalancer: LB });
    });

    it.each(["shop", "api"])("computes %s's 5xx rate per color from that color's target group", (app) => {
        const rows = metricsOf(widget(`${app}: target 5xx rate (%)`));
        for (const color of ["blue", "green"]) {
            const rate = rows.find((r) => typeof r[0] === "object" && (r[0] as Record<string, unknown>).label === `${color} 5xx %`)!;
            const expression = (rate[0] as Record<string, string>).expression;
            const [errorsId, requestsId] = [...expression.matchAll(/[a-z][a-z0-9_]*(?=\b)/g)].map((m) => m[0]).filter((id) => id !== "fill");
            const byId = (id: string) => rows.find((r) => typeof r[0] === "string" && options(r).id === id)!;
            expect(byId(errorsId)[1]).toBe("HTTPCode_Target_5XX_Count");
            expect(byId(requestsId)[1]).toBe("RequestCount");
            for (const id of [errorsId, requestsId]) expect(dims(byId(id))).toEqual({ TargetGroup: TG(app, color), LoadBalancer: LB });
        }
    });

    it.each([
        ["p99 response time (s)", "TargetResponseTime", "p99"],
        ["requests", "RequestCount", "Sum"],
    ])("shows each app's %s per color on that color's target group", (title, metric, stat) => {
        for (const app of ["shop", "api"]) {
            const rows = metricsOf(widget(`${app}: ${title}`));
            expect(rows.map((r) => [r[1], dims(r).TargetGroup, options(r).stat, options(r).label])).toEqual([
                [metric, TG(app, "blue"), stat, `blue ${stat === "p99" ? "p99" : "requests"}`],
                [metric, TG(app, "green"), stat, `green ${stat === "p99" ? "p99" : "requests"}`],
            ]);
        }
    });

    it("shows healthy and unhealthy targets per color", () => {
        const rows = metricsOf(widget("shop: target health"));
        expect(rows.map((r) => [r[1], dims(r).TargetGroup])).toEqual([
            ["HealthyHostCount", TG("shop", "blue")],
            ["UnHealthyHostCount", TG("shop", "blue")],
            ["HealthyHostCount", TG("shop", "green")],
            ["UnHealthyHostCount", TG("shop", "green")],
        ]);
    });

    it("lays the widgets out without overlap inside CloudWatch's 24-column grid, every widget in the region", () => {
        const cells = new Set<string>();
        for (const w of body.widgets) {
            expect(w.x + w.width).toBeLessThanOrEqual(24);
            expect(w.properties.region).toBe("eu-west-1");
            for (let x = w.x; x < w.x + w.width; x++) for (let y = w.y; y < w.y + w.height; y++) {
                expect(cells.has(`${x},${y}`)).toBe(false);
                cells.add(`${x},${y}`);
            }
        }
        expect(body.widgets).toHaveLength(2 + 2 * 4);
    });

    it("leaves out a color that has no target group (a one-color environment)", () => {
        const one = buildDashboardBody({ environment: "dev", region: "us-east-1", loadBalancer: LB, apps: [{ name: "shop", targetGroups: { blue: TG("shop", "blue") } }] });
        const rows = one.widgets.flatMap((w) => (w.properties.title as string).startsWith("shop") ? metricsOf(w) : []);
        expect(rows.some((r) => JSON.stringify(r).includes("green"))).toBe(false);
        expect(rows.length).toBeGreaterThan(0);
    });

    it("names the dashboard after the environment with only the characters CloudWatch allows", () => {
        expect(dashboardName("prod")).toBe("bluegreen-prod");
        expect(dashboardName("team.a/prod")).toBe("bluegreen-team-a-prod");
    });
});
