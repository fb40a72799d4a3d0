import { Plan } from "../../src/plan/model";
import { planFor, resourceNamed, resourcesOfType } from "../helpers/plan";
import { rawConfig } from "../helpers/raw-config";
import { albRouting, routedApp, ZONE } from "../routing/fixtures";

const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";

describe("the environment's dashboard in the offline plan", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await planFor(rawConfig({ routing: albRouting({ weights: { blue: 90, green: 10 }, apps: [routedApp("shop"), routedApp("api")] }) }), "prod");
    });

    it("alb mode: one dashboard per environment, named after it, in the environment's region", () => {
        const dashboards = resourcesOfType(plan, DASHBOARD);
        expect(dashboards.map((d) => d.inputs.dashboardName)).toEqual(["bluegreen-prod"]);
        const shared = resourceNamed(plan, "pulumi:providers:aws", "prod-aws");
        expect(dashboards[0].provider).toContain(shared.urn);
    });

    it("its body is built from the load balancer and every app's target group of both colors", () => {
        const dashboard = resourcesOfType(plan, DASHBOARD)[0];
        // The plan's mocks give the load balancer and target groups realistic ARNs: every app's 5xx widget
        // reads each color's own target group (named after app and color) on the environment's load balancer.
        const body = JSON.parse(String(dashboard.inputs.dashboardBody)) as { widgets: Array<{ properties: { title: string; metrics: unknown[][] } }> };
        for (const app of ["shop", "api"]) {
            const widget = body.widgets.find((w) => w.properties.title === `${app}: target 5xx rate (%)`)!;
            for (const color of ["blue", "green"]) {
                const series = widget.properties.metrics.filter((m) => m[1] === "HTTPCode_Target_5XX_Count" && String(m[3]).startsWith(`targetgroup/prod-${app}-${color}-`));
                expect(series).toHaveLength(1);
                expect(String(series[0][5])).toMatch(/^app\/prod-alb-/);
            }
        }
        const lb = resourceNamed(plan, "aws:lb/loadBalancer:LoadBalancer", "prod-alb");
        expect(dashboard.dependencies).toContain(lb.urn);
        for (const app of ["shop", "api"]) {
            for (const color of ["blue", "green"]) {
                const tg = resourceNamed(plan, "aws:lb/targetGroup:TargetGroup", `prod-${app}-${color}`);
                expect(dashboard.dependencies).toContain(tg.urn);
            }
        }
    });

    it("dns mode: no dashboard (the load balancers are the clusters', not ours to chart)", async () => {
        const lb = (color: string) => ({ dnsName: `k8s-${color}-1.eu-west-1.elb.amazonaws.com`, zoneId: "Z32O12XQLNTSW2" });
        const dns = await planFor(rawConfig({ routing: { mode: "dns", weights: { blue: 100, green: 0 }, hostedZoneId: ZONE, dns: { loadBalancers: { blue: lb("blue"), green: lb("green") } }, apps: [routedApp("shop")] } }));
        expect(resourcesOfType(dns, "aws:lb/loadBalancer:LoadBalancer")).toEqual([]);
        expect(resourcesOfType(dns, DASHBOARD)).toEqual([]);
    });
});
