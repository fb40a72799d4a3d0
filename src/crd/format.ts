/** How a CRD diff reads, for a reviewer (grouped by CRD and version, breaking first) and for machines. */
import { CrdChange, CrdDiffResult } from "./diff";
import { VERDICT_ORDER } from "./rules";

const CLASS_MARK = { breaking: "✗ breaking  ", compatible: "~ compatible", cosmetic: "· cosmetic  " } as const;

function worst(changes: CrdChange[]): number {
    return Math.max(...changes.map((c) => VERDICT_ORDER[c.class]));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const item of items) {
        const k = key(item);
        const list = groups.get(k) ?? [];
        list.push(item);
        groups.set(k, list);
    }
    return groups;
}

/** Breaking first, then by CRD name, version and path. */
export function orderChanges(changes: CrdChange[]): CrdChange[] {
    return [...changes].sort(
        (a, b) =>
            VERDICT_ORDER[b.class] - VERDICT_ORDER[a.class] ||
            a.crd.localeCompare(b.crd) ||
            a.version.localeCompare(b.version) ||
            a.path.localeCompare(b.path) ||
            a.rule.localeCompare(b.rule),
    );
}

export function formatCrdDiffHuman(result: CrdDiffResult, labels: { old: string; new: string }): string {
    const lines: string[] = [`CRD diff: ${labels.old} → ${labels.new}`, ""];
    const byCrd = [...groupBy(result.changes, (c) => c.crd).entries()].sort(
        ([nameA, a], [nameB, b]) => worst(b) - worst(a) || nameA.localeCompare(nameB),
    );
    for (const [crd, changes] of byCrd) {
        lines.push(crd);
        const byVersion = [...groupBy(changes, (c) => c.version).entries()].sort(
            ([va, a], [vb, b]) => worst(b) - worst(a) || va.localeCompare(vb),
        );
        for (const [version, versionChanges] of byVersion) {
            lines.push(`  ${version ? `version ${version}` : "(whole CRD)"}`);
            for (const change of orderChanges(versionChanges)) {
                lines.push(`    ${CLASS_MARK[change.class]}  ${change.path || "-"}  ${change.message}  [${change.rule}]`);
            }
        }
        lines.push("");
    }
    const { breaking, compatible, cosmetic } = result.summary;
    lines.push(`Verdict: ${result.verdict} (${breaking} breaking, ${compatible} compatible, ${cosmetic} cosmetic)`);
    return lines.join("\n") + "\n";
}

export function crdDiffToJson(result: CrdDiffResult): unknown {
    return {
        verdict: result.verdict,
        changes: orderChanges(result.changes).map(({ crd, version, path, class: cls, rule, message }) => ({ crd, version, path, class: cls, rule, message })),
        summary: result.summary,
    };
}
