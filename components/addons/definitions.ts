/**
 * Each registered add-on's Pulumi part, found by convention: `components/addons/<id>/index.ts`
 * exports `definition`, an `AddonDefinition` typed with the settings its fragment outputs. The
 * registry (src/addons/registry.ts) is the only list; a missing or mismatched folder fails here,
 * by name, and in test/addons/registry.test.ts.
 */
import { AddonId, AddonSettings } from "../../src/addons/registry";
import { AddonDefinition } from "./addon";

export function addonDefinition<K extends AddonId>(id: K): AddonDefinition<AddonSettings<K>> {
    let loaded: { definition?: AddonDefinition<AddonSettings<K>> };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        loaded = require(`./${id}`) as typeof loaded;
    } catch (err) {
        throw new Error(`add-on ${id} is registered in src/addons/registry.ts but components/addons/${id}/index.ts cannot be loaded: ${(err as Error).message.split("\n")[0]}`);
    }
    if (!loaded.definition || loaded.definition.id !== id) {
        throw new Error(`components/addons/${id}/index.ts must export \`definition\`, an AddonDefinition with id "${id}"`);
    }
    return loaded.definition;
}
