import fc from "fast-check";
import { EKS_SUPPORT_CALENDAR, isoDate, minorOf, parseIsoDate, SUPPORT_END_WARNING_DAYS, versionSupportStatus } from "../../src/versions";

const addDays = (date: string, days: number) => isoDate(new Date((parseIsoDate(date)! + days) * 86_400_000));
const monthsBetween = (a: string, b: string) => {
    const [ya, ma, da] = a.split("-").map(Number);
    const [yb, mb, db] = b.split("-").map(Number);
    return (yb - ya) * 12 + (mb - ma) + (db - da) / 31;
};

describe("the EKS support calendar", () => {
    test("covers consecutive minors from 1.23 to 1.34, in order", () => {
        const minors = EKS_SUPPORT_CALENDAR.map((e) => minorOf(e.version));
        expect(minors[0]).toBe(23);
        expect(minors[minors.length - 1]).toBe(34);
        minors.forEach((m, i) => i > 0 && expect(m).toBe(minors[i - 1] + 1));
    });

    test.each(EKS_SUPPORT_CALENDAR.map((e) => [e.version, e] as const))("%s: real dates; ~14 months standard, then exactly 12 months extended", (_v, entry) => {
        for (const date of [entry.eksRelease, entry.endOfStandardSupport, entry.endOfExtendedSupport]) expect(parseIsoDate(date)).toBeDefined();
        const standardMonths = monthsBetween(entry.eksRelease, entry.endOfStandardSupport);
        expect(standardMonths).toBeGreaterThanOrEqual(14);
        expect(standardMonths).toBeLessThan(15);
        expect(monthsBetween(entry.endOfStandardSupport, entry.endOfExtendedSupport)).toBe(12);
    });

    test("release dates increase with the version", () => {
        EKS_SUPPORT_CALENDAR.forEach((e, i) => i > 0 && expect(e.eksRelease > EKS_SUPPORT_CALENDAR[i - 1].eksRelease).toBe(true));
    });
});

describe("support status on a date", () => {
    test.each([
        ["1.33", "2025-11-25", "standard", "pass"],
        ["1.32", "2025-11-25", "standard", "pass"],
        ["1.31", "2025-11-25", "standard", "warn"],
        ["1.31", "2025-11-26", "extended", "warn"],
        ["1.29", "2025-11-25", "extended", "warn"],
        ["1.28", "2025-11-26", "unsupported", "fail"],
        ["1.22", "2025-11-25", "unsupported", "fail"],
        ["1.35", "2025-11-25", "unknown", "warn"],
        ["1.34", "2025-09-01", "unsupported", "fail"],
    ])("%s on %s: %s (%s)", (version, today, status, level) => {
        expect(versionSupportStatus(version, today)).toMatchObject({ status, level });
    });

    test("details give the dates and what to do", () => {
        expect(versionSupportStatus("1.33", "2025-11-25").detail).toBe("1.33: standard support until 2026-07-29");
        expect(versionSupportStatus("1.31", "2025-11-20").detail).toBe(
            "1.31: standard support ends 2025-11-26 (in 6 days); after that, extended support costs extra: plan the upgrade",
        );
        expect(versionSupportStatus("1.30", "2025-11-25").detail).toBe(
            "1.30: in extended support (extra cost per cluster-hour) since 2025-07-23, until 2026-07-23: upgrade to a version in standard support",
        );
        expect(versionSupportStatus("1.29", "2026-03-01").detail).toBe(
            "1.29: in extended support (extra cost per cluster-hour) since 2025-03-23, until 2026-03-23 (in 22 days): upgrade before EKS upgrades the control plane automatically",
        );
        expect(versionSupportStatus("1.28", "2025-12-01").detail).toBe(
            "1.28: EKS support ended 2025-11-26: EKS upgrades such clusters automatically; build a new color on a supported version now",
        );
        expect(versionSupportStatus("1.35", "2025-11-25").detail).toBe(
            "1.35 is not in bluegreen's EKS support calendar (newest known: 1.34): check the EKS Kubernetes release calendar for its support dates",
        );
    });

    test("the warning starts exactly 90 days before the end of standard support", () => {
        const end = "2026-07-29";
        expect(versionSupportStatus("1.33", addDays(end, -SUPPORT_END_WARNING_DAYS - 1))).toMatchObject({ level: "pass", daysLeft: 91 });
        expect(versionSupportStatus("1.33", addDays(end, -SUPPORT_END_WARNING_DAYS))).toMatchObject({ level: "warn", daysLeft: 90 });
    });

    test("a bad date is refused", () => {
        expect(() => versionSupportStatus("1.33", "2025-02-30")).toThrow('"2025-02-30" is not a date like 2025-11-25 (YYYY-MM-DD)');
        expect(parseIsoDate("2025-1-5")).toBeUndefined();
    });

    const rank = { standard: 0, extended: 1, unsupported: 2 } as const;
    test("property: for a known version, status only moves forward in time: standard → extended → unsupported", () => {
        const start = parseIsoDate("2022-01-01")!;
        fc.assert(
            fc.property(
                fc.constantFrom(...EKS_SUPPORT_CALENDAR.map((e) => e.version)),
                fc.integer({ min: 0, max: 3650 }),
                fc.integer({ min: 0, max: 3650 }),
                (version, a, b) => {
                    const [early, late] = [Math.min(a, b), Math.max(a, b)].map((d) => isoDate(new Date((start + d) * 86_400_000)));
                    const entry = EKS_SUPPORT_CALENDAR.find((e) => e.version === version)!;
                    fc.pre(early >= entry.eksRelease);
                    const s1 = versionSupportStatus(version, early).status as keyof typeof rank;
                    const s2 = versionSupportStatus(version, late).status as keyof typeof rank;
                    expect(rank[s1]).toBeLessThanOrEqual(rank[s2]);
                },
            ),
        );
    });

    test("property: a version newer than the calendar is unknown on any date, never pass or fail", () => {
        fc.assert(
            fc.property(fc.integer({ min: 35, max: 99 }), fc.integer({ min: 0, max: 20000 }), (m, day) => {
                expect(versionSupportStatus(`1.${m}`, isoDate(new Date(day * 86_400_000)))).toMatchObject({ status: "unknown", level: "warn" });
            }),
        );
    });
});
