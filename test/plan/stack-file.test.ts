import { applyOverrides, ENCRYPTED_PLACEHOLDER, parseConfigPath, parseStackFile, StackFileError } from "../../src/config/stack-file";

describe("stack files", () => {
    const text = `
config:
  aws:region: us-east-2
  other:key: ignored
  bluegreen:routing:
    weights: { blue: 100, green: 0 }
  bluegreen:argocdAdminPassword:
    secure: AAABAxyz
  bluegreen:clusters:
    blue:
      version: "1.32"
      nodeGroups: [{ name: a, maxSize: 3 }]
`;

    test("reads the bluegreen namespace and the region; secrets stay encrypted", () => {
        const file = parseStackFile(text, "Pulumi.dev.yaml", "dev");
        expect(file.awsRegion).toBe("us-east-2");
        expect(Object.keys(file.values).sort()).toEqual(["argocdAdminPassword", "clusters", "routing"]);
        expect(file.values.argocdAdminPassword).toBe(ENCRYPTED_PLACEHOLDER);
        expect(file.secretPaths).toEqual(["argocdAdminPassword"]);
    });

    test("overrides follow pulumi config set --path: JSON values, objects, list indexes", () => {
        const file = parseStackFile(text, "Pulumi.dev.yaml", "dev");
        const values = applyOverrides(file.values, [
            'routing.weights={"blue":50,"green":50}',
            "bluegreen:clusters.blue.nodeGroups[0].maxSize=6",
            "clusters.green.version=1.33x",
        ]);
        expect((values.routing as { weights: unknown }).weights).toEqual({ blue: 50, green: 50 });
        expect((values.clusters as { blue: { nodeGroups: Array<{ maxSize: number }> } }).blue.nodeGroups[0].maxSize).toBe(6);
        expect((values.clusters as { green: { version: string } }).green.version).toBe("1.33x");
        expect((file.values.routing as { weights: unknown }).weights).toEqual({ blue: 100, green: 0 });
    });

    test("bad overrides and paths are rejected with an example", () => {
        expect(() => applyOverrides({}, ["routing.weights"])).toThrow(/key=value/);
        expect(() => parseConfigPath("a..b[")).toThrow(StackFileError);
        expect(parseConfigPath("a.b[2].c")).toEqual(["a", "b", 2, "c"]);
    });

    test("invalid YAML names the file", () => {
        expect(() => parseStackFile("config: [", "Pulumi.bad.yaml", "bad")).toThrow(/Pulumi\.bad\.yaml is not valid YAML/);
    });
});
