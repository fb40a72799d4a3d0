/**
 * The EKS Kubernetes release calendar: when each minor version became available on EKS and when its
 * standard and extended support end. Standard support lasts about 14 months from the EKS release;
 * extended support (billed extra per cluster-hour) 12 more months. Support ends *on* the end date.
 *
 * Update this table when EKS publishes a new version; a version newer than the table is reported as
 * `unknown` rather than guessed.
 */
import { minorOf } from "./minor-version";

export interface EksVersionSupport {
    version: string;
    eksRelease: string;
    endOfStandardSupport: string;
    endOfExtendedSupport: string;
}

export const EKS_SUPPORT_CALENDAR: readonly EksVersionSupport[] = [
    { version: "1.23", eksRelease: "2022-08-11", endOfStandardSupport: "2023-10-11", endOfExtendedSupport: "2024-10-11" },
    { version: "1.24", eksRelease: "2022-11-15", endOfStandardSupport: "2024-01-31", endOfExtendedSupport: "2025-01-31" },
    { version: "1.25", eksRelease: "2023-02-22", endOfStandardSupport: "2024-05-01", endOfExtendedSupport: "2025-05-01" },
    { version: "1.26", eksRelease: "2023-04-11", endOfStandardSupport: "2024-06-11", endOfExtendedSupport: "2025-06-11" },
    { version: "1.27", eksRelease: "2023-05-24", endOfStandardSupport: "2024-07-24", endOfExtendedSupport: "2025-07-24" },
    { version: "1.28", eksRelease: "2023-09-26", endOfStandardSupport: "2024-11-26", endOfExtendedSupport: "2025-11-26" },
    { version: "1.29", eksRelease: "2024-01-23", endOfStandardSupport: "2025-03-23", endOfExtendedSupport: "2026-03-23" },
    { version: "1.30", eksRelease: "2024-05-23", endOfStandardSupport: "2025-07-23", endOfExtendedSupport: "2026-07-23" },
    { version: "1.31", eksRelease: "2024-09-26", endOfStandardSupport: "2025-11-26", endOfExtendedSupport: "2026-11-26" },
    { version: "1.32", eksRelease: "2025-01-23", endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
    { version: "1.33", eksRelease: "2025-05-29", endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
    { version: "1.34", eksRelease: "2025-10-02", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
];

/** Within this many days of the end of standard or extended support, the status carries a warning. */
export const SUPPORT_END_WARNING_DAYS = 90;

export type SupportStatus = "standard" | "extended" | "unsupported" | "unknown";
export type SupportLevel = "pass" | "warn" | "fail";

export interface VersionSupportReport {
    version: string;
    status: SupportStatus;
    level: SupportLevel;
    /** One line for an operator: the status, the date that matters, and what to do. */
    detail: string;
    /** Days until the current support phase ends (standard or extended); absent when not in support. */
    daysLeft?: number;
    entry?: EksVersionSupport;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a "YYYY-MM-DD" date, or undefined when it is not a real calendar date. */
export function parseIsoDate(date: string): number | undefined {
    const match = ISO_DATE.exec(date);
    if (!match) return undefined;
    const [year, month, day] = match.slice(1).map(Number);
    const time = Date.UTC(year, month - 1, day);
    const back = new Date(time);
    if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
    return time / 86_400_000;
}

/** "YYYY-MM-DD" of a moment, in UTC. */
export function isoDate(moment: Date): string {
    return moment.toISOString().slice(0, 10);
}

function dayOf(date: string): number {
    const day = parseIsoDate(date);
    if (day === undefined) throw new Error(`"${date}" is not a date like 2025-11-25 (YYYY-MM-DD)`);
    return day;
}

export function calendarEntry(version: string, calendar: readonly EksVersionSupport[] = EKS_SUPPORT_CALENDAR): EksVersionSupport | undefined {
    return calendar.find((entry) => entry.version === version);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The EKS support status of a Kubernetes minor version on `today` ("YYYY-MM-DD"). */
export function versionSupportStatus(
    version: string,
    today: string,
    calendar: readonly EksVersionSupport[] = EKS_SUPPORT_CALENDAR,
): VersionSupportReport {
    const day = dayOf(today);
    const minor = minorOf(version);
    const entry = calendarEntry(version, calendar);
    if (!entry) {
        const known = calendar.map((e) => minorOf(e.version));
        const oldest = Math.min(...known);
        const newest = Math.max(...known);
        if (known.length > 0 && minor < oldest) {
            return {
                version,
                status: "unsupported",
                level: "fail",
                detail: `${version} is older than every version EKS still supported when this table was written (oldest: 1.${oldest}): upgrade, or build a new color on a supported version`,
            };
        }
        return {
            version,
            status: "unknown",
            level: "warn",
            detail: `${version} is not in bluegreen's EKS support calendar (newest known: 1.${newest}): check the EKS Kubernetes release calendar for its support dates`,
        };
    }
    if (day < dayOf(entry.eksRelease)) {
        return {
            version,
            status: "unsupported",
            level: "fail",
            detail: `${version} is not available on EKS before ${entry.eksRelease}`,
            entry,
        };
    }
    const standardLeft = dayOf(entry.endOfStandardSupport) - day;
    if (standardLeft > 0) {
        const soon = standardLeft <= SUPPORT_END_WARNING_DAYS;
        return {
            version,
            status: "standard",
            level: soon ? "warn" : "pass",
            daysLeft: standardLeft,
            detail: soon
                ? `${version}: standard support ends ${entry.endOfStandardSupport} (in ${plural(standardLeft, "day")}); after that, extended support costs extra: plan the upgrade`
                : `${version}: standard support until ${entry.endOfStandardSupport}`,
            entry,
        };
    }
    const extendedLeft = dayOf(entry.endOfExtendedSupport) - day;
    if (extendedLeft > 0) {
        const soon = extendedLeft <= SUPPORT_END_WARNING_DAYS;
        return {
            version,
            status: "extended",
            level: "warn",
            daysLeft: extendedLeft,
            detail:
                `${version}: in extended support (extra cost per cluster-hour) since ${entry.endOfStandardSupport}, until ${entry.endOfExtendedSupport}` +
                (soon ? ` (in ${plural(extendedLeft, "day")}): upgrade before EKS upgrades the control plane automatically` : ": upgrade to a version in standard support"),
            entry,
        };
    }
    return {
        version,
        status: "unsupported",
        level: "fail",
        detail: `${version}: EKS support ended ${entry.endOfExtendedSupport}: EKS upgrades such clusters automatically; build a new color on a supported version now`,
        entry,
    };
}
