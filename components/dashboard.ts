/**
 * The environment's CloudWatch dashboard (alb mode): the figures the cutover report shows, live,
 * per color, beside the weights the cutover publishes. The body is built by the pure
 * src/report/dashboard.ts once the load balancer's and target groups' ARN suffixes (CloudWatch's
 * dimensions) are known; this component only resolves them and owns the resource.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { COLORS, Color } from "../src/config/colors";
import { buildDashboardBody, dashboardName } from "../src/report/dashboard";
import type { RoutedAppOutput } from "./routing";

export interface EnvironmentDashboardArgs {
    environment: string;
    region: string;
    /** The load balancer's ARN suffix ("app/<name>/<id>"): the LoadBalancer dimension. */
    loadBalancerArnSuffix: pulumi.Input<string>;
    /** The routing output's apps (alb mode): target group ARN suffixes per color. */
    apps: Record<string, RoutedAppOutput>;
}

export class EnvironmentDashboard extends pulumi.ComponentResource {
    readonly dashboard: aws.cloudwatch.Dashboard;

    constructor(name: string, args: EnvironmentDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:report:EnvironmentDashboard", name, {}, opts);
        const suffixes = Object.entries(args.apps).map(([app, out]) => pulumi.output(out.targetGroupArnSuffixes ?? {}).apply((tgs) => ({ name: app, targetGroups: tgs as Partial<Record<Color, string>> })));
        const body = pulumi.all([args.loadBalancerArnSuffix, pulumi.all(suffixes)]).apply(([lb, apps]) =>
            JSON.stringify(buildDashboardBody({
                environment: args.environment,
                region: args.region,
                loadBalancer: lb,
                apps: apps.map((a) => ({ name: a.name, targetGroups: Object.fromEntries(COLORS.filter((c) => a.targetGroups[c]).map((c) => [c, a.targetGroups[c]])) })),
            })),
        );
        this.dashboard = new aws.cloudwatch.Dashboard(`${args.environment}-dashboard`, {
            dashboardName: dashboardName(args.environment),
            dashboardBody: body,
        }, { parent: this });
        this.registerOutputs({ dashboardName: this.dashboard.dashboardName, dashboardArn: this.dashboard.dashboardArn });
    }
}
