/**
 * The contract between CRD sources (files, URLs, kustomizations, chart repositories, live clusters)
 * and the CRD diff engine: a source yields raw text streams, the engine parses and compares them.
 */

/** One YAML or JSON stream (possibly multi-document) and where it came from, for error messages. */
export interface CrdStream {
    /** A file path, URL or `kube:<context>/<crd name>`, shown to the user when the stream is invalid. */
    origin: string;
    text: string;
}

export interface CrdSourceResult {
    /** The spec the user gave, e.g. `addon:argocd@7.7.0`. */
    spec: string;
    streams: CrdStream[];
    /** True when read from a live cluster: `status.storedVersions` is then meaningful to the diff. */
    live: boolean;
    /** What the user should know about how the source was read (e.g. CRD files a kustomization leaves out). */
    notes?: string[];
}

export interface CrdSourceOptions {
    /** Per-request timeout for downloads, in milliseconds. */
    timeoutMs?: number;
    /** Directory of the on-disk download cache; undefined uses the default, null disables caching. */
    cacheDir?: string | null;
    /** Kubeconfig file for `kube:` sources; the default loading rules apply when absent. */
    kubeconfigPath?: string;
    /** Kubeconfig content (YAML or JSON) for `kube:` sources, e.g. from a stack output. */
    kubeconfig?: string;
    /**
     * Source schemes the caller adds (e.g. `addon:` from src/addons): tried before the built-in
     * ones, so the CRD engine itself knows nothing of what they mean.
     */
    schemes?: CrdSourceScheme[];
}

/** A source form `<prefix><rest>` resolved by the caller, e.g. `addon:argocd@8.5.0`. */
export interface CrdSourceScheme {
    /** The prefix, with its colon: `addon:`. */
    prefix: string;
    /** The form shown in messages, e.g. `addon:<argocd|…>@<chart-version>`. */
    form: string;
    load(rest: string, options: CrdSourceOptions): Promise<CrdStream[]>;
}

export class CrdSourceError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CrdSourceError";
    }
}
