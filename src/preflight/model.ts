/** The shapes of a preflight run: its input, the checks it runs, and the report it gives. */
import type { Color, EnvironmentConfig } from "../config";
import type { PathsScan } from "../apis";
import type { AddonId } from "../addons/registry";
import type { AddonCrdDeps } from "../addons/crd-gate";
import type { Weights } from "../config/colors";
import type { CutoverSettings } from "../cutover/run";
import type { GateStackView, ResolvedSettings } from "../cutover/gates/set";
import type { Origin } from "../cutover/gates/traffic";
import type { LiveRouting, StackView } from "../cutover/model";
import type { CutoverRecord, Lease } from "../cutover/record";
import type { TargetHealthSource } from "../cutover/sources";

export type CheckStatus = "pass" | "warn" | "fail";

export interface PreflightItem {
    /** Stable, for scripts: "config", "versions.blue", "api-scan", … */
    id: string;
    title: string;
    status: CheckStatus;
    /** One line: what was found and, when it is not a pass, what to do. */
    detail: string;
    /** A failure of the input itself (an invalid config, manifests that cannot be read): the command exits 2, not 1. */
    badInput?: boolean;
}

/** What a stack's outputs say was deployed last (`{ clusters: { blue: { version } } }`). */
export interface PreviousDeployment {
    clusters: Partial<Record<Color, { version: string; kubeconfig?: string; addons?: Partial<Record<AddonId, { version?: string }>> }>>;
}

export interface PreflightInput {
    stack: string;
    /** The stack config file, for messages. */
    stackFile: string;
    /** Values of the `bluegreen:` keys, namespace stripped; secrets left encrypted. */
    values: Record<string, unknown>;
    /** Config paths whose values are `secure:` (present, not decrypted). */
    secretPaths: string[];
    /** The stack file's keys outside `bluegreen:` (`aws:region`, …), as full keys. */
    otherConfig?: Record<string, unknown>;
    /** "YYYY-MM-DD": the day support status is judged on. */
    today: string;
    /** Where a relative `gitops.manifestsPath` is resolved from. */
    projectDir: string;
    /** Overrides `gitops.manifestsPath` (absolute). */
    manifestsPath?: string;
    previous?: PreviousDeployment;
    /** The cutover's settings as `bluegreen cutover` resolves them with the same flags; without them no plan is shown. */
    cutover?: PlanSettings;
}

/** What every check after the config check gets: the input with a valid config. */
export interface PreflightContext extends Omit<PreflightInput, "values"> {
    config: EnvironmentConfig;
    /** The region and profile the stack deploys with (aws:region / bluegreen:region, aws:profile). */
    aws: { region: string; profile?: string };
}

/** The effects checks may use; tests give fakes. */
export interface PreflightDeps {
    /** Scans a manifests file or directory for API versions deprecated or removed by `target`. */
    scanManifests(manifestsPath: string, target: string): Promise<PathsScan>;
    /** Loads add-on CRDs and reads live ones for the CRD gate; absent (--offline), the gate is not checked. */
    addonCrds?: Omit<AddonCrdDeps, "previousDeployment" | "offline">;
    /**
     * `--live`: opens the stack's outputs and the readers of the load balancer, table, metrics and git,
     * in the stack's region with its profile (called once the config is valid); rejects with what is missing.
     */
    live?: (aws: { region: string; profile?: string }) => Promise<LiveReaders>;
}

/** One check: a function of the context that returns its items (usually one). */
export type PreflightCheck = (context: PreflightContext, deps: PreflightDeps) => PreflightItem[] | Promise<PreflightItem[]>;

export interface PreflightSummary {
    pass: number;
    warn: number;
    fail: number;
}

export interface PreflightReport {
    stack: string;
    items: PreflightItem[];
    summary: PreflightSummary;
    /** The cutover the stack would run (when it has routing and a color to move to). */
    plan?: CutoverPlanReport;
}

/** The settings of the cutover, resolved the way `bluegreen cutover` resolves them (flags, stack config, defaults). */
export interface PlanSettings {
    /** What the engine gets (operatorSettings). */
    engine: CutoverSettings;
    /** What the gates get, with the origin of each value (resolveGateSettings). */
    gates: ResolvedSettings;
    /** Origins of the engine settings the gate settings do not carry. */
    origins: { steps: Origin; onFailure: Origin };
    /** `--to`; else the candidate color of the config. */
    target?: Color;
    allowUngated: boolean;
}

export interface PlannedStep {
    /** The step number the cutover's events carry. */
    step: number;
    weights: Weights;
    /** The candidate's share at this step. */
    percent: number;
    /** How long this step is watched (a resumed bake: what is left of it). */
    bakeMs: number;
    /** The live weight baked again before going on (not recorded as baked). */
    resumed?: boolean;
}

/** The plan in the JSON report. */
export interface CutoverPlanReport {
    target: Color;
    from: Color;
    /** Where the plan starts, and where those weights come from. */
    start: Weights;
    startFrom: "stack config" | "load balancer";
    steps: PlannedStep[];
    settings: {
        steps: { value: number[]; origin: Origin };
        bake: { value: string; origin: Origin };
        interval: { value: string; origin: Origin };
        onFailure: { value: string; origin: Origin };
    };
    gates: Array<{ name: string; kind: string; thresholds: string }>;
    notGated: string[];
    /** The sum of the bakes: the least time the cutover takes when every check passes. */
    minimumDurationMs: number;
    /** What `bluegreen cutover` would refuse at start (timing, no traffic gate, no target). */
    problems: string[];
}

export interface GitResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs `git <args>` in `cwd`; rejects only when git cannot be started. */
export type GitRunner = (args: string[], cwd: string) => Promise<GitResult>;

export interface Stickiness {
    enabled: boolean;
    durationSeconds?: number;
}

/** Per app: the weighted rule's forward action (which color a user stays on) and each color's target group attributes. */
export interface AppStickiness {
    app: string;
    forward?: Stickiness;
    targetGroups: Partial<Record<Color, Stickiness & { type?: string }>>;
}

export interface LiveReaders {
    /** The stack as its outputs and config say (the same view the cutover reads). */
    view: StackView;
    /** AWS_REGION / AWS_DEFAULT_REGION / AWS_PROFILE of the shell. */
    shell: { region?: string; profile?: string };
    /** Resolves the credentials the stack's profile gives; rejects when there are none. */
    credentials(): Promise<void>;
    routing: LiveRouting;
    targets: TargetHealthSource;
    /** Absent: the stack has no cutover table yet. */
    lease?(): Promise<Lease | undefined>;
    record?(): Promise<CutoverRecord | undefined>;
    stickiness(): Promise<AppStickiness[]>;
    /** RequestCount of an app's target group on a color between `start` and `end`. */
    requests(app: string, color: Color, start: Date, end: Date): Promise<number>;
    git: GitRunner;
    now(): Date;
    /**
     * dns mode: follows the weighted records to each color's load balancer, as the cutover does before
     * it builds its gates (resolveGateView); throws the cutover's own refusal when they cannot be followed.
     */
    resolveGateView?(view: GateStackView, candidate: Color): Promise<GateStackView>;
}
