import fc from "fast-check";
import { checkInPlaceUpgrade, checkNewColorVersion, checkNodeGroupVersion, maxKubeletSkew, minorVersion } from "../../src/versions";

const minor = fc.integer({ min: 20, max: 60 });

describe("in-place control-plane upgrades", () => {
    test.each([
        ["1.31", "1.31", true],
        ["1.31", "1.32", true],
        ["1.9", "1.10", true],
        ["1.31", "1.33", false],
        ["1.29", "1.34", false],
        ["1.32", "1.31", false],
    ])("%s → %s allowed: %s", (from, to, allowed) => {
        expect(checkInPlaceUpgrade(from, to).allowed).toBe(allowed);
    });

    test("skipping a minor says to go one at a time or build a new color", () => {
        expect(checkInPlaceUpgrade("1.31", "1.33").detail).toBe(
            "1.31 → 1.33 skips 1.32: upgrade in place one minor version at a time (1.31 → 1.32 first), or build a new color on 1.33 and shift traffic to it",
        );
    });

    test("a downgrade is refused with what to do instead", () => {
        expect(checkInPlaceUpgrade("1.32", "1.31").detail).toBe(
            "1.32 → 1.31 is a downgrade: EKS cannot downgrade a control plane; keep 1.32, or build a new color on 1.31",
        );
    });

    test("property: allowed exactly when the step is 0 or 1 minor", () => {
        fc.assert(
            fc.property(minor, minor, (a, b) => {
                expect(checkInPlaceUpgrade(minorVersion(a), minorVersion(b)).allowed).toBe(b - a === 0 || b - a === 1);
            }),
        );
    });
});

describe("new colors", () => {
    test("may skip versions; the detail lists them", () => {
        const result = checkNewColorVersion("1.32", "1.34");
        expect(result).toMatchObject({ allowed: true, skipped: ["1.33"] });
        expect(result.detail).toBe("1.32 → 1.34 skips 1.33: allowed for a new color (a new cluster), never in place");
    });

    test("an older new color is allowed but called out", () => {
        const result = checkNewColorVersion("1.33", "1.32");
        expect(result).toMatchObject({ allowed: true, skipped: [] });
        expect(result.detail).toContain("older than the live color's 1.33");
    });

    test("property: a new color is always allowed, and skips exactly the minors an in-place upgrade would need in between", () => {
        fc.assert(
            fc.property(minor, minor, (a, b) => {
                const result = checkNewColorVersion(minorVersion(a), minorVersion(b));
                expect(result.allowed).toBe(true);
                expect(result.skipped).toHaveLength(b > a ? b - a - 1 : 0);
            }),
        );
    });
});

describe("node groups against their control plane", () => {
    test.each([
        ["1.33", "1.33", true],
        ["1.33", "1.30", true],
        ["1.33", "1.29", false],
        ["1.28", "1.25", true],
        ["1.27", "1.25", true],
        ["1.27", "1.24", false],
        ["1.32", "1.33", false],
    ])("control plane %s, node group %s: allowed %s", (controlPlane, nodeGroup, allowed) => {
        expect(checkNodeGroupVersion(controlPlane, nodeGroup).allowed).toBe(allowed);
    });

    test("messages say what is wrong and what to do", () => {
        expect(checkNodeGroupVersion("1.32", "1.33").detail).toBe(
            "1.33 is newer than its control plane (1.32): upgrade the control plane first, or set the node group to 1.32",
        );
        expect(checkNodeGroupVersion("1.33", "1.29").detail).toBe(
            "1.29 is 4 minor versions behind its control plane (1.33); kubelets may be at most 3 behind: upgrade the node group to at least 1.30",
        );
        expect(checkNodeGroupVersion("1.33", "1.31").detail).toBe("1.31, 2 minor versions behind the control plane (1.33; at most 3 allowed)");
    });

    test("the kubelet skew is 3 minors from 1.28 on, 2 before", () => {
        expect(maxKubeletSkew("1.27")).toBe(2);
        expect(maxKubeletSkew("1.28")).toBe(3);
        expect(maxKubeletSkew("1.34")).toBe(3);
    });

    test("property: allowed exactly when the node group is not newer and within the skew", () => {
        fc.assert(
            fc.property(minor, fc.integer({ min: -3, max: 6 }), (controlPlane, lag) => {
                const result = checkNodeGroupVersion(minorVersion(controlPlane), minorVersion(controlPlane - lag));
                const skew = controlPlane >= 28 ? 3 : 2;
                expect(result.allowed).toBe(lag >= 0 && lag <= skew);
            }),
        );
    });
});
