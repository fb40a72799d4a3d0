/** `StackOperations` on the Pulumi Automation API, for the user's project and stack. */
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { Color, COLORS, Weights } from "../config/colors";
import { parseStructuredValue } from "../config/values";
import { ClusterView, RoutedAppView, StackOperations, StackView, UpdateSummary } from "./model";

/** Reads weights and the previous color from the stack's config, the rest from its outputs. */
export function stackView(config: Record<string, { value: string }>, outputs: Record<string, { value: unknown }>): StackView {
    const routing = (parseStructuredValue(config["bluegreen:routing"]?.value) ?? {}) as { weights?: Partial<Weights>; mode?: "alb" | "dns" };
    const cutover = (parseStructuredValue(config["bluegreen:cutover"]?.value) ?? {}) as { previousColor?: Color };
    const routingOutput = (outputs.routing?.value ?? {}) as { apps?: Record<string, RoutedAppView>; weightedResourceUrns?: string[]; mode?: "alb" | "dns" };
    const weights = Object.fromEntries(COLORS.map((c) => [c, Number(routing.weights?.[c] ?? 0)])) as Weights;
    return {
        weights,
        previousColor: cutover.previousColor,
        clusters: (outputs.clusters?.value ?? {}) as Partial<Record<Color, ClusterView>>,
        apps: routingOutput.apps ?? {},
        mode: routing.mode ?? routingOutput.mode ?? "alb",
        weightedResourceUrns: routingOutput.weightedResourceUrns ?? [],
    };
}

export class PulumiStackOperations implements StackOperations {
    private constructor(private readonly stack: Stack) {}

    static async select(stackName: string, workDir: string): Promise<PulumiStackOperations> {
        return new PulumiStackOperations(await LocalWorkspace.selectStack({ stackName, workDir }));
    }

    async read(): Promise<StackView> {
        const [config, outputs] = await Promise.all([this.stack.getAllConfig(), this.stack.outputs()]);
        return stackView(config, outputs);
    }

    async setWeights(weights: Weights, previousColor?: Color): Promise<void> {
        for (const color of COLORS) await this.stack.setConfig(`bluegreen:routing.weights.${color}`, { value: String(weights[color]) }, true);
        if (previousColor) await this.stack.setConfig("bluegreen:cutover.previousColor", { value: previousColor }, true);
    }

    async updateRouting(urns: string[], onOutput?: (line: string) => void): Promise<UpdateSummary> {
        const result = await this.stack.up({ target: urns, targetDependents: false, onOutput });
        const changes = result.summary.resourceChanges ?? {};
        return { updated: changes.update ?? 0, created: changes.create ?? 0, deleted: changes.delete ?? 0, replaced: changes.replace ?? 0 };
    }
}
