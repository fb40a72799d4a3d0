/**
 * The values the offline plan's mocks made up (ids, ARNs, DNS names), each tied to the resource and
 * output property that produced it. The plan prints such a value, wherever another resource
 * receives it (whole, or inside a string such as a policy document), as a reference:
 * `<prod-api-blue.arn>`. A reviewer then sees which target group gets 90 and which 10, and the
 * `--json` plan lists what each reference resolves to.
 */
export interface PlanReference {
    /** URN of the producing resource (known once it is registered). */
    urn?: string;
    type: string;
    name: string;
    property: string;
}

/** Candidates for an embedded reference: ARNs, AWS ids with a hex suffix, ELB DNS names. */
const TOKEN = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d*:[A-Za-z0-9_+=,.@/:-]+|\b[a-z]+-[0-9a-f]{7,17}\b|[a-z0-9-]+\.[a-z0-9-]+\.elb\.amazonaws\.com|oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\/[0-9A-F]+/g;

const typeTail = (type: string) => type.slice(type.lastIndexOf(":") + 1);

export class ReferenceTable {
    private readonly labelOfValue = new Map<string, string>();
    private readonly byLabel = new Map<string, PlanReference>();
    private readonly pending = new Map<string, PlanReference[]>();

    /** Records what the mocks made up for one resource: its id (when not also an output) and its outputs. */
    produced(type: string, name: string, id: string | undefined, outputs: Record<string, string>): void {
        const entries: [string, string][] = Object.entries(outputs);
        if (id !== undefined && !Object.values(outputs).includes(id)) entries.unshift(["id", id]);
        const refs: PlanReference[] = [];
        for (const [property, value] of entries) {
            const ref: PlanReference = { type, name, property };
            this.labelOfValue.set(value, this.labelFor(ref));
            refs.push(ref);
        }
        this.pending.set(`${type}::${name}`, refs);
    }

    /** Ties the references of a resource to its URN once the monitor has registered it. */
    bind(type: string, name: string, urn: string): void {
        const key = `${type}::${name}`;
        for (const ref of this.pending.get(key) ?? []) ref.urn = urn;
        this.pending.delete(key);
    }

    /** A string with every made-up value in it replaced by its reference. */
    render(value: string): string {
        const whole = this.labelOfValue.get(value);
        if (whole !== undefined) return whole;
        if (value.length < 10) return value;
        return value.replace(TOKEN, (token) => this.lookup(token) ?? token);
    }

    /** Every reference, by its label. */
    toJSON(): Record<string, PlanReference> {
        return Object.fromEntries([...this.byLabel.entries()].sort(([a], [b]) => a.localeCompare(b)));
    }

    private labelFor(ref: PlanReference): string {
        let label = `<${ref.name}.${ref.property}>`;
        const taken = this.byLabel.get(label);
        if (taken && taken.type !== ref.type) label = `<${ref.name}[${typeTail(ref.type)}].${ref.property}>`;
        this.byLabel.set(label, ref);
        return label;
    }

    /** The token, or the token without its trailing path segments (`…/hex/*` in a policy), as a reference. */
    private lookup(token: string): string | undefined {
        let candidate = token.replace(/[/:]+$/, "");
        for (let i = 0; i < 4; i++) {
            const label = this.labelOfValue.get(candidate);
            if (label !== undefined) return label + token.slice(candidate.length);
            const cut = Math.max(candidate.lastIndexOf("/"), candidate.lastIndexOf(":"));
            if (cut <= 0) return undefined;
            candidate = candidate.slice(0, cut);
        }
        return undefined;
    }
}
