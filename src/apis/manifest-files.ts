/**
 * The imperative shell of the API scan: finds manifest files under the given paths, reads them
 * (and stdin for "-"), and hands their text to the pure scanner.
 */
import * as fs from "fs";
import * as path from "path";
import { ApiFinding, ApiRuleIndex, scanManifestText } from "./scan";

export const STDIN_PATH = "-";
export const STDIN_NAME = "<stdin>";
const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

export interface ManifestFileListing {
    files: string[];
    /** Directories left out on purpose, with why. */
    skipped: string[];
    errors: string[];
}

/**
 * The manifest files a path stands for: a file itself (whatever its extension), or every .yaml,
 * .yml and .json file below a directory, sorted. Hidden entries (.git, .github) and node_modules
 * are left out, and so are the `templates/` of Helm chart sources, which are not YAML until rendered.
 */
export function listManifestFiles(inputPath: string): ManifestFileListing {
    const listing: ManifestFileListing = { files: [], skipped: [], errors: [] };
    let stat: fs.Stats;
    try {
        stat = fs.statSync(inputPath);
    } catch (err) {
        listing.errors.push(`cannot read ${inputPath}: ${describeFsError(err)}`);
        return listing;
    }
    if (!stat.isDirectory()) {
        listing.files.push(inputPath);
        return listing;
    }
    const visited = new Set<string>();
    const walk = (dir: string) => {
        const real = fs.realpathSync(dir);
        if (visited.has(real)) return;
        visited.add(real);
        let entries: fs.Dirent[];
        try {
            entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch (err) {
            listing.errors.push(`cannot read ${dir}: ${describeFsError(err)}`);
            return;
        }
        const isChartSource = entries.some((e) => e.name === "Chart.yaml" && !e.isDirectory());
        for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
            if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
            const full = path.join(dir, entry.name);
            const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && isDirectorySafe(full));
            if (isDirectory) {
                if (isChartSource && entry.name === "templates") {
                    listing.skipped.push(`${full}: Helm chart templates are not YAML until rendered; scan \`helm template ${dir} | bluegreen check-apis --target <1.NN> -\``);
                    continue;
                }
                walk(full);
            } else if (MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
                listing.files.push(full);
            }
        }
    };
    walk(inputPath);
    return listing;
}

export interface PathsScan {
    findings: ApiFinding[];
    files: number;
    documents: number;
    skipped: string[];
    /** Unreadable paths and invalid YAML, each naming its file. */
    errors: string[];
}

/** Scans files, directories and "-" (stdin, read through `readStdin`) for the target version. */
export async function scanManifestPaths(
    paths: readonly string[],
    target: string,
    rules: ApiRuleIndex,
    readStdin: () => Promise<string>,
): Promise<PathsScan> {
    const result: PathsScan = { findings: [], files: 0, documents: 0, skipped: [], errors: [] };
    const scanText = (text: string, file: string) => {
        const scan = scanManifestText(text, file, target, rules);
        result.files += 1;
        if (!scan.ok) {
            result.errors.push(scan.error);
            return;
        }
        result.documents += scan.documents;
        result.findings.push(...scan.findings);
    };
    for (const inputPath of paths) {
        if (inputPath === STDIN_PATH) {
            scanText(await readStdin(), STDIN_NAME);
            continue;
        }
        const listing = listManifestFiles(inputPath);
        result.skipped.push(...listing.skipped);
        result.errors.push(...listing.errors);
        for (const file of listing.files) {
            let text: string;
            try {
                text = fs.readFileSync(file, "utf8");
            } catch (err) {
                result.errors.push(`cannot read ${file}: ${describeFsError(err)}`);
                continue;
            }
            scanText(text, file);
        }
    }
    return result;
}

function isDirectorySafe(file: string): boolean {
    try {
        return fs.statSync(file).isDirectory();
    } catch {
        return false;
    }
}

function describeFsError(err: unknown): string {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "no such file or directory";
    if (code === "EACCES") return "permission denied";
    return (err as Error).message;
}
