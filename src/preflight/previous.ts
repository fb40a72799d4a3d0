/** The previously deployed versions, from a stack's outputs as JSON (`pulumi stack output --json`). */
import { z } from "zod";
import { Color, COLORS } from "../config";
import { isMinorVersion } from "../versions";
import { PreviousDeployment } from "./model";

const EXAMPLE = '{ "clusters": { "blue": { "version": "1.32" } } }';
const requiredOr = (shape: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `is required: ${shape}` : `must be ${shape}`);

const deployedCluster = z.looseObject(
    {
        version: z
            .string({ error: requiredOr('the deployed Kubernetes version as a string like "1.32"') })
            .refine(isMinorVersion, { message: 'is not a Kubernetes minor version like "1.32"' }),
    },
    { error: requiredOr('an object like { "version": "1.32" }') },
);

const colorClusters = Object.fromEntries(COLORS.map((color) => [color, deployedCluster.optional()])) as Record<Color, z.ZodOptional<typeof deployedCluster>>;

// Stack outputs hold more than the versions (names, endpoints, kubeconfigs): other keys are ignored.
const previousSchema = z.looseObject(
    { clusters: z.looseObject(colorClusters, { error: requiredOr('an object like { "blue": { "version": "1.32" } }') }) },
    { error: () => `must be an object like ${EXAMPLE}` },
);

export type PreviousParse = { ok: true; previous: PreviousDeployment } | { ok: false; problems: string[] };

export function parsePreviousDeployment(text: string, file: string): PreviousParse {
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch (err) {
        return { ok: false, problems: [`${file} is not JSON: ${(err as Error).message}`] };
    }
    const result = previousSchema.safeParse(document);
    if (!result.success) {
        return {
            ok: false,
            problems: result.error.issues.map((issue) => `${file}: ${issue.path.length ? issue.path.map(String).join(".") : "the document"} ${issue.message}`),
        };
    }
    const clusters: PreviousDeployment["clusters"] = {};
    for (const color of COLORS) {
        const cluster = result.data.clusters[color];
        if (cluster) clusters[color] = { version: cluster.version, ...deployedExtras(cluster) };
    }
    return { ok: true, previous: { clusters } };
}

/** The kubeconfig and add-on versions, when the outputs hold them (the CRD gate compares against them). */
function deployedExtras(cluster: Record<string, unknown>): Omit<PreviousDeployment["clusters"]["blue"] & object, "version"> {
    const extras: Omit<PreviousDeployment["clusters"]["blue"] & object, "version"> = {};
    if (typeof cluster.kubeconfig === "string") extras.kubeconfig = cluster.kubeconfig;
    if (cluster.addons && typeof cluster.addons === "object") {
        extras.addons = Object.fromEntries(
            Object.entries(cluster.addons as Record<string, unknown>)
                .filter(([, v]) => v && typeof (v as { version?: unknown }).version === "string")
                .map(([k, v]) => [k, { version: (v as { version: string }).version }]),
        );
    }
    return extras;
}
