/** How an upgrade plan reads for an operator: numbered steps with their exact commands, then what refuses it. */
import { UpgradePlan } from "./plan";

export function formatUpgradePlanHuman(plan: UpgradePlan): string {
    const lines = [`In-place upgrade of ${plan.color} (stack ${plan.stack}): ${plan.from} → ${plan.to}, method: ${plan.method}`];
    plan.steps.forEach((step, i) => {
        lines.push(`${i + 1}. ${step.title}`);
        for (const detail of step.details) lines.push(`     ${detail}`);
        // Commands get a prompt; edits of the stack file are said as such.
        for (const action of step.actions) lines.push(/^(pulumi|bluegreen|aws|kubectl) /.test(action) ? `     $ ${action}` : `     → ${action}`);
    });
    if (plan.method === "new color") {
        lines.push("", "Use a new color instead for:");
        for (const addon of plan.addons.filter((a) => a.method === "new color")) lines.push(`  - ${addon.addon} ${addon.from} → ${addon.to}: ${addon.why}`);
    }
    if (plan.refusals.length) {
        lines.push("", "Refused: this plan cannot be carried out in place as it stands:");
        for (const refusal of plan.refusals) lines.push(`  - ${refusal}`);
    }
    for (const note of plan.notes) lines.push(`note: ${note}`);
    return lines.join("\n") + "\n";
}
