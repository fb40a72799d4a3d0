/** The previously deployed versions, from a stack's outputs as JSON (`pulumi stack output --json`). */
import { z } from "zod";
import { COLORS } from "../../stacks/config";
import { isMinorVersion } from "../versions";
import { PreviousDeployment } from "./model";

const deployedCluster = z.looseObject({
    version: z.string({ message: 'is required: the deployed Kubernetes version like "1.32"' }).refine(isMinorVersion, { message: 'is not a Kubernetes minor version like "1.32"' }),
});

const previousSchema = z.looseObject({
    clusters: z.looseObject(Object.fromEntries(COLORS.map((c) => [c, deployedCluster.optional()])) as Record<(typeof COLORS)[number], z.ZodOptional<typeof deployedCluster>>),
});

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
            problems: result.error.issues.map((issue) => {
                const where = issue.path.length ? issue.path.map(String).join(".") : "the document";
                const message = issue.path.length ? issue.message : 'must be an object like { "clusters": { "blue": { "version": "1.32" } } }';
                return `${file}: ${where} ${issue.code === "invalid_type" && issue.path[issue.path.length - 1] === "clusters" ? 'is required: { "clusters": { "blue": { "version": "1.32" } } }' : message}`;
            }),
        };
    }
    const clusters: PreviousDeployment["clusters"] = {};
    for (const color of COLORS) {
        const cluster = result.data.clusters[color];
        if (cluster) clusters[color] = { version: cluster.version };
    }
    return { ok: true, previous: { clusters } };
}
