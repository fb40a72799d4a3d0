/** Human and JSON output of an API removal scan. */
import { ApiFinding, ApiRuleIndex, isRemovedBy } from "./scan";

export interface ApiScanJson {
    target: string;
    findings: ApiFinding[];
}

export function apiScanToJson(target: string, findings: readonly ApiFinding[]): ApiScanJson {
    return {
        target,
        findings: findings.map((f) => ({
            file: f.file,
            index: f.index,
            kind: f.kind,
            name: f.name,
            apiVersion: f.apiVersion,
            deprecatedIn: f.deprecatedIn,
            removedIn: f.removedIn,
            replacement: f.replacement,
        })),
    };
}

/** One line: the object, its apiVersion, when it goes away, and what to use instead. */
export function describeFinding(finding: ApiFinding, target: string, rules: ApiRuleIndex): string {
    const removed = isRemovedBy(finding, target);
    const when = removed
        ? `removed in ${finding.removedIn}`
        : `deprecated in ${finding.deprecatedIn}, ${finding.removedIn === null ? "no removal scheduled" : `removed in ${finding.removedIn}`}`;
    const note = rules.find(finding.apiVersion, finding.kind)?.note;
    const instead = finding.replacement !== null ? ` → ${finding.replacement}` : `, no replacement${note ? `: ${note}` : ""}`;
    return `${finding.kind} ${finding.name}: ${finding.apiVersion} ${when}${instead}`;
}

export function formatFindingLine(finding: ApiFinding, target: string, rules: ApiRuleIndex): string {
    const status = isRemovedBy(finding, target) ? "✗ removed   " : "! deprecated";
    return `${status}  ${finding.file}#${finding.index}  ${describeFinding(finding, target, rules)}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function summarizeFindings(findings: readonly ApiFinding[], target: string): { removed: number; deprecated: number } {
    const removed = findings.filter((f) => isRemovedBy(f, target)).length;
    return { removed, deprecated: findings.length - removed };
}

export function formatApiScanHuman(target: string, findings: readonly ApiFinding[], counts: { files: number; documents: number }, rules: ApiRuleIndex): string {
    const scope = `in ${plural(counts.documents, "document")} of ${plural(counts.files, "file")}`;
    if (findings.length === 0) return `No API version deprecated or removed by Kubernetes ${target} ${scope}.\n`;
    const { removed, deprecated } = summarizeFindings(findings, target);
    const lines = findings.map((f) => formatFindingLine(f, target, rules));
    const summary = [
        removed ? `${removed} removed in ${target} (migrate before upgrading)` : "",
        deprecated ? `${deprecated} deprecated but still served by ${target}` : "",
    ]
        .filter(Boolean)
        .join(", ");
    return `Kubernetes ${target} API check ${scope}:\n${lines.join("\n")}\n\n${summary}.\n`;
}
