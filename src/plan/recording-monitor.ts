/**
 * A Pulumi mock monitor that also records what `MockResourceArgs` leaves out: parent, protect,
 * dependencies and other resource options, which the plan shows and the tests assert on.
 */
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { PlanMocks } from "./mocks";
import { PlannedAlias, PlannedResource, SECRET, UNKNOWN } from "./model";
import { ReferenceTable } from "./references";

// The wire markers of the Pulumi RPC protocol (sdk/nodejs/runtime/rpc.ts).
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/**
 * Turns wire values into what an operator reads: markers for computed and secret values, URNs for
 * resource references, and `<resource.property>` for values another resource produced.
 */
export function readableValue(value: unknown, references?: ReferenceTable): unknown {
    if (value === UNKNOWN_SENTINEL) return UNKNOWN;
    if (typeof value === "string") return references ? references.render(value) : value;
    if (Array.isArray(value)) return value.map((v) => readableValue(v, references));
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        const sig = record[SIG_KEY];
        if (sig === SECRET_SIG) return SECRET;
        if (sig === RESOURCE_REFERENCE_SIG) return record.urn;
        if (sig === OUTPUT_VALUE_SIG) {
            if (record.secret) return SECRET;
            return "value" in record ? readableValue(record.value, references) : UNKNOWN;
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(record).sort()) out[key] = readableValue(record[key], references);
        return out;
    }
    return value;
}

interface AliasMessage {
    getUrn(): string;
    getSpec(): { getName(): string; getType(): string; getStack(): string; getProject(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}

/** An alias of the request in the plan's form: only the parts it sets. */
function plannedAlias(alias: AliasMessage): PlannedAlias {
    const spec = alias.getSpec();
    if (!spec) return { urn: alias.getUrn() };
    const parts: PlannedAlias = { name: spec.getName(), type: spec.getType(), stack: spec.getStack(), project: spec.getProject(), parent: spec.getParenturn() };
    for (const key of Object.keys(parts) as (keyof PlannedAlias)[]) if (!parts[key]) delete parts[key];
    if (spec.getNoparent()) parts.noParent = true;
    return parts;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getDeletebeforereplace(): boolean;
    getProvider(): string;
    getDependenciesList(): string[];
    getReplaceonchangesList(): string[];
    getIgnorechangesList(): string[];
    getAliasesList(): AliasMessage[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

export class RecordingMonitor extends MockMonitor {
    readonly recorded: PlannedResource[] = [];
    private inFlight = 0;

    readonly references: ReferenceTable;

    constructor(mocks: PlanMocks) {
        super(mocks);
        this.references = mocks.references;
    }

    get pendingRegistrations(): number {
        return this.inFlight;
    }

    async registerResource(req: RegisterRequest, callback: (err: unknown, response: unknown) => void): Promise<void> {
        this.inFlight++;
        const record = (err: unknown, response: { getUrn(): string } | undefined) => {
            if (!err && response) {
                const parent = req.getParent();
                const provider = req.getProvider();
                this.references.bind(req.getType(), req.getName(), response.getUrn());
                this.recorded.push({
                    urn: response.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    parent: parent || undefined,
                    custom: req.getCustom(),
                    protect: req.getProtect() === true,
                    retainOnDelete: req.getRetainondelete() === true,
                    deleteBeforeReplace: req.getDeletebeforereplace() === true,
                    provider: provider ? provider.split("::").slice(0, -1).join("::") : undefined,
                    dependencies: [...req.getDependenciesList()].sort(),
                    replaceOnChanges: req.getReplaceonchangesList(),
                    ignoreChanges: req.getIgnorechangesList(),
                    ...(req.getAliasesList().length ? { aliases: req.getAliasesList().map(plannedAlias) } : {}),
                    inputs: readableValue(req.getObject()?.toJavaScript() ?? {}, this.references) as Record<string, unknown>,
                });
            }
            this.inFlight--;
            callback(err, response);
        };
        await super.registerResource(req, record);
    }
}
