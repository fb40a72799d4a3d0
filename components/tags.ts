import { Color } from "../src/config";

/** Tags every AWS resource of the environment carries (applied through the providers' default tags). */
export function environmentTags(environment: string, color?: Color): Record<string, string> {
    return {
        "bluegreen:environment": environment,
        ...(color ? { "bluegreen:color": color } : {}),
        "managed-by": "pulumi-bluegreen",
    };
}

/** The name of a color's EKS cluster: environment and color, so two colors never collide. */
export function clusterName(environment: string, color: Color): string {
    return `${environment}-${color}`;
}
