import fc from "fast-check";
import { compareMinorVersions, minorOf, minorVersion, parseMinorVersion, versionsBetween } from "../../src/versions";

describe("minor versions", () => {
    test.each([
        ["1.33", 33],
        ["1.9", 9],
        ["1.0", 0],
    ])("%s has minor %d", (version, minor) => {
        expect(parseMinorVersion(version)).toBe(minor);
    });

    test.each(["v1.33", "1.33.2", "2.1", "1.", "1.033", "", " 1.33", "1.x"])("%j is not a minor version", (text) => {
        expect(parseMinorVersion(text)).toBeUndefined();
        expect(() => minorOf(text)).toThrow(`"${text}" is not a Kubernetes minor version like "1.33"`);
    });

    test("1.9 is older than 1.10 (numbers, not strings)", () => {
        expect(compareMinorVersions("1.9", "1.10")).toBeLessThan(0);
    });

    test("versionsBetween lists the skipped minors in either order", () => {
        expect(versionsBetween("1.31", "1.34")).toEqual(["1.32", "1.33"]);
        expect(versionsBetween("1.34", "1.31")).toEqual(["1.32", "1.33"]);
        expect(versionsBetween("1.31", "1.32")).toEqual([]);
    });

    test("property: formatting and parsing round-trip; comparison agrees with the minor numbers", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (a, b) => {
                expect(parseMinorVersion(minorVersion(a))).toBe(a);
                expect(Math.sign(compareMinorVersions(minorVersion(a), minorVersion(b)))).toBe(Math.sign(a - b));
                expect(versionsBetween(minorVersion(a), minorVersion(b))).toHaveLength(Math.max(0, Math.abs(a - b) - 1));
            }),
        );
    });
});
