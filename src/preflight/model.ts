/** The shapes of a preflight run: its input, the checks it runs, and the report it gives. */
import type { Color, EnvironmentConfig } from "../config";
import type { PathsScan } from "../apis";
import type { AddonId } from "../addons/registry";
import type { AddonCrdDeps } from "../addons/crd-gate";

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
}

/** What every check after the config check gets: the input with a valid config. */
export interface PreflightContext extends Omit<PreflightInput, "values"> {
    config: EnvironmentConfig;
}

/** The effects checks may use; tests give fakes. */
export interface PreflightDeps {
    /** Scans a manifests file or directory for API versions deprecated or removed by `target`. */
    scanManifests(manifestsPath: string, target: string): Promise<PathsScan>;
    /** Loads add-on CRDs and reads live ones for the CRD gate; absent (--offline), the gate is not checked. */
    addonCrds?: Omit<AddonCrdDeps, "previousDeployment" | "offline">;
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
}
