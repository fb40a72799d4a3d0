/** Chart repositories served by the local test server: archives built here, index.yaml, CRD text. */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as tar from "tar";
import * as yaml from "js-yaml";
import { tempDir } from "../../helpers/temp-dir";

export const sha256 = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");

/** A chart archive: `<chart>/Chart.yaml` and the given files. */
export async function chartArchive(chart: string, files: Record<string, string>): Promise<Buffer> {
    const dir = tempDir("bluegreen-chart-");
    fs.mkdirSync(path.join(dir, chart), { recursive: true });
    fs.writeFileSync(path.join(dir, chart, "Chart.yaml"), `apiVersion: v2\nname: ${chart}\nversion: 1.0.0\n`);
    for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, chart, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, chart, file), text);
    }
    const archive = path.join(dir, `${chart}.tgz`);
    await tar.create({ gzip: true, file: archive, cwd: dir, portable: true, mtime: new Date(0) }, [chart]);
    return fs.readFileSync(archive);
}

export function indexYaml(entries: Record<string, Array<{ version: string; appVersion?: string; digest?: string; urls: string[] }>>): string {
    return yaml.dump({ apiVersion: "v1", entries });
}
