/**
 * Jest only. @pulumi/pulumi loads its closure serializer's dependencies (`typescript`,
 * `@npmcli/arborist`) as soon as it is imported: about 0.7 s in every test file that imports it,
 * while this program never serializes a function. jest.config.js maps those two names to
 * `lazy-typescript.js` / `lazy-arborist.js`, proxies that load the real module on first use, so a
 * test that did serialize a closure would still get the real thing.
 */
const { createRequire } = require("module");

const nodeRequire = createRequire(__filename);

/** A stand-in for `name` that requires the real module (resolved by Node, not the mapper) when first touched. */
function lazyModule(name) {
    let real;
    const load = () => (real ??= require(nodeRequire.resolve(name)));
    return new Proxy({}, {
        // `__esModule` keeps TypeScript's __importStar from copying every export (which would load it).
        get: (_, key) => (key === "__esModule" ? true : load()[key]),
        has: (_, key) => key in load(),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_, key) => Object.getOwnPropertyDescriptor(load(), key),
    });
}

module.exports = { lazyModule };
