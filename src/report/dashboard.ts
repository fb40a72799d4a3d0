/**
 * The body of the environment's CloudWatch dashboard: the figures the report shows, live, per
 * color. A row for the whole environment (the cutover's weights as published by publishWeights,
 * the load balancer's own 5xx and requests), then a row per routed app: target 5xx rate, p99
 * response time, requests and target health, one series per color. Pure: the Pulumi component
 * (components/dashboard.ts) resolves the load balancer's and target groups' ARN suffixes (the
 * CloudWatch dimensions) and hands them in.
 *
 * Format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
import { COLORS, Color } from "../config/colors";
import { COLOR_HEX } from "./palette";
import { weightDimensions, WEIGHT_METRIC, WEIGHTS_NAMESPACE } from "./metric-names";

export interface DashboardApp {
    name: string;
    /** Per color, the target group's ARN suffix ("targetgroup/<name>/<id>"): the TargetGroup dimension. */
    targetGroups: Partial<Record<Color, string>>;
}

export interface DashboardInput {
    environment: string;
    region: string;
    /** The load balancer's ARN suffix ("app/<name>/<id>"): the LoadBalancer dimension. */
    loadBalancer: string;
    apps: DashboardApp[];
    /** Seconds per datapoint (the gates judge complete minutes). */
    period?: number;
}

type MetricRow = (string | Record<string, unknown>)[];

export interface DashboardWidget {
    type: "metric" | "text";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: Record<string, unknown>;
}

export interface DashboardBody {
    start: string;
    periodOverride: "inherit";
    widgets: DashboardWidget[];
}

const ELB = "AWS/ApplicationELB";
const APP_WIDGET_WIDTH = 6;
const HEIGHT = 6;

/** CloudWatch metric ids: lowercase start, letters, digits and underscores. */
export function metricId(...parts: string[]): string {
    return parts.join("_").toLowerCase().replace(/[^a-z0-9_]/g, "_").replace(/^([^a-z])/, "m$1");
}

function metricWidget(region: string, title: string, metrics: MetricRow[], extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { title, region, view: "timeSeries", stacked: false, metrics, ...extra };
}

function targetDims(lb: string, tg: string): string[] {
    return ["TargetGroup", tg, "LoadBalancer", lb];
}

function colorsOf(app: DashboardApp): Color[] {
    return COLORS.filter((c) => app.targetGroups[c]);
}

function fiveXxRate(input: DashboardInput, app: DashboardApp, period: number): Record<string, unknown> {
    const rows: MetricRow[] = [];
    for (const color of colorsOf(app)) {
        const dims = targetDims(input.loadBalancer, app.targetGroups[color]!);
        const errors = metricId(app.name, color, "5xx"), requests = metricId(app.name, color, "requests");
        rows.push([{ expression: `100 * FILL(${errors}, 0) / ${requests}`, label: `${color} 5xx %`, id: metricId(app.name, color, "rate"), color: COLOR_HEX[color] }]);
        rows.push([ELB, "HTTPCode_Target_5XX_Count", ...dims, { id: errors, stat: "Sum", period, visible: false }]);
        rows.push([ELB, "RequestCount", ...dims, { id: requests, stat: "Sum", period, visible: false }]);
    }
    return metricWidget(input.region, `${app.name}: target 5xx rate (%)`, rows, { yAxis: { left: { min: 0, label: "%", showUnits: false } } });
}

function perColor(input: DashboardInput, app: DashboardApp, metric: string, stat: string, period: number, title: string, label: string): Record<string, unknown> {
    const rows: MetricRow[] = colorsOf(app).map((color) => [
        ELB, metric, ...targetDims(input.loadBalancer, app.targetGroups[color]!),
        { stat, period, label: `${color} ${label}`, color: COLOR_HEX[color] },
    ]);
    return metricWidget(input.region, `${app.name}: ${title}`, rows, { yAxis: { left: { min: 0 } } });
}

function targetHealth(input: DashboardInput, app: DashboardApp, period: number): Record<string, unknown> {
    const rows: MetricRow[] = [];
    for (const color of colorsOf(app)) {
        const dims = targetDims(input.loadBalancer, app.targetGroups[color]!);
        rows.push([ELB, "HealthyHostCount", ...dims, { stat: "Minimum", period, label: `${color} healthy`, color: COLOR_HEX[color] }]);
        rows.push([ELB, "UnHealthyHostCount", ...dims, { stat: "Maximum", period, label: `${color} unhealthy`, color: "#d1242f" }]);
    }
    return metricWidget(input.region, `${app.name}: target health`, rows, { yAxis: { left: { min: 0 } } });
}

function environmentRow(input: DashboardInput, period: number): DashboardWidget[] {
    const weights = metricWidget(input.region, "Traffic weights (% per color, published by the cutover)", COLORS.map((color) => [
        WEIGHTS_NAMESPACE, WEIGHT_METRIC, ...weightDimensions(input.environment, color).flatMap((d) => [d.Name, d.Value]),
        { stat: "Maximum", period, label: color, color: COLOR_HEX[color] },
    ]), { yAxis: { left: { min: 0, max: 100, showUnits: false } } });
    const lb = ["LoadBalancer", input.loadBalancer];
    const elb = metricWidget(input.region, "Load balancer: its own 5xx (502/503/504) and requests", [
        [ELB, "HTTPCode_ELB_5XX_Count", ...lb, { stat: "Sum", period, label: "ELB 5xx", color: "#d1242f" }],
        [ELB, "HTTPCode_ELB_502_Count", ...lb, { stat: "Sum", period, label: "ELB 502" }],
        [ELB, "HTTPCode_ELB_503_Count", ...lb, { stat: "Sum", period, label: "ELB 503" }],
        [ELB, "HTTPCode_ELB_504_Count", ...lb, { stat: "Sum", period, label: "ELB 504" }],
        [ELB, "RequestCount", ...lb, { stat: "Sum", period, label: "requests", yAxis: "right", color: "#6e7781" }],
    ]);
    return [
        { type: "metric", x: 0, y: 0, width: 12, height: HEIGHT, properties: weights },
        { type: "metric", x: 12, y: 0, width: 12, height: HEIGHT, properties: elb },
    ];
}

export function buildDashboardBody(input: DashboardInput): DashboardBody {
    const period = input.period ?? 60;
    const widgets = environmentRow(input, period);
    const apps = [...input.apps].sort((a, b) => a.name.localeCompare(b.name));
    apps.forEach((app, i) => {
        const y = HEIGHT * (i + 1);
        const row = [
            fiveXxRate(input, app, period),
            perColor(input, app, "TargetResponseTime", "p99", period, "p99 response time (s)", "p99"),
            perColor(input, app, "RequestCount", "Sum", period, "requests", "requests"),
            targetHealth(input, app, period),
        ];
        row.forEach((properties, j) => widgets.push({ type: "metric", x: j * APP_WIDGET_WIDTH, y, width: APP_WIDGET_WIDTH, height: HEIGHT, properties }));
    });
    return { start: "-PT3H", periodOverride: "inherit", widgets };
}

/** Dashboard names: letters, digits, "-" and "_", at most 255 characters. */
export function dashboardName(environment: string): string {
    return `bluegreen-${environment}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 255);
}
