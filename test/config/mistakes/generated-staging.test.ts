/**
 * Generated single-mistake variants of stacks/Pulumi.staging.yaml (see variants.ts): a typo of every
 * key, a wrong type and an out-of-range value for every value, malformed ARNs, CIDRs and names,
 * YAML-level slips. Each is run through `bluegreen plan` and must be refused with exit 2, no stack
 * trace, and the config path in the message.
 */
import { tryVariants, variantsOf } from "./variants";

const variants = variantsOf("staging");

test(`staging: all ${variants.length} single-mistake variants are refused with exit 2 and the config path named`, async () => {
    expect(variants.length).toBeGreaterThan(100);
    expect(await tryVariants(variants)).toEqual({ accepted: [], unclear: [] });
});
