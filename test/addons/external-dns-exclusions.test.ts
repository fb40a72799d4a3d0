/**
 * external-dns and the routing never claim the same name: each cluster's external-dns is run with
 * `--exclude-domains` for every hostname the routing publishes itself (weighted records in dns mode,
 * alias records in alb mode). Checked with a model of external-dns's own domain filter rule.
 */
import fc from "fast-check";
import { externalDnsManages, routedHostnameExclusions } from "../../src/addons/external-dns";
import { Plan } from "../../src/plan/model";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { planFor, resourceNamed } from "../helpers/plan";

describe("external-dns's domain filter rule (endpoint/domain_filter.go)", () => {
    test.each([
        [["example.com"], [], "example.com", true],
        [["example.com"], [], "a.example.com", true],
        [["example.com"], [], "badexample.com", false],
        [["example.com"], [], "example.org", false],
        [[], [], "anything.org", true],
        [[".example.com"], [], "example.com", false],
        [[".example.com"], [], "a.example.com", true],
        [["example.com"], ["a.example.com"], "a.example.com", false],
        [["example.com"], ["a.example.com"], "b.a.example.com", false],
        [["example.com"], ["a.example.com"], "b.example.com", true],
        [["example.com"], [".a.example.com"], "a.example.com", true],
        [["Example.com"], [], "x.example.com.", false],
        [["example.com"], [], "X.Example.com.", true],
    ] as const)("filters %j, excludes %j: %s managed = %s", (filters, excludes, name, managed) => {
        expect(externalDnsManages(name, filters, excludes)).toBe(managed);
    });
});

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
const zone = fc.constantFrom("example.com", "shop.example.com", "example.org");
const hostname = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), zone, fc.boolean()).map(([labels, z, wildcard]) => `${wildcard ? "*." : ""}${labels.join(".")}.${z}`);

describe("the exclusions keep external-dns off every routed name", () => {
    test("for any routed hostnames and domain filters, external-dns manages no routed name (nor any name a routed wildcard covers)", () => {
        fc.assert(
            fc.property(fc.array(hostname, { minLength: 1, maxLength: 6 }), fc.array(zone, { maxLength: 2 }), label, (routed, filters, child) => {
                const excludes = routedHostnameExclusions(routed);
                for (const host of routed) {
                    expect(externalDnsManages(host, filters, excludes)).toBe(false);
                    if (host.startsWith("*.")) expect(externalDnsManages(`${child}.${host.slice(2)}`, filters, excludes)).toBe(false);
                }
            }),
        );
    });

    test("names the routing does not publish stay external-dns's", () => {
        const excludes = routedHostnameExclusions(["shop.example.com", "*.apps.example.com"]);
        expect(excludes).toEqual([".apps.example.com", "shop.example.com"]);
        expect(externalDnsManages("blog.example.com", ["example.com"], excludes)).toBe(true);
        expect(externalDnsManages("apps.example.com", ["example.com"], excludes)).toBe(true);
        expect(externalDnsManages("api.apps.example.com", ["example.com"], excludes)).toBe(false);
    });
});

describe("in the plan", () => {
    let plan: Plan;
    beforeAll(async () => {
        const addons = { "external-dns": { domainFilters: ["example.com"], zoneIdFilters: ["Z0123456789ABC"] } };
        plan = await planFor(rawConfig({
            clusters: { blue: clusterSpec("1.33", { addons }), green: clusterSpec("1.34", { addons }) },
            routing: {
                mode: "dns",
                weights: { blue: 90, green: 10 },
                hostedZoneId: "Z0123456789ABC",
                dns: { loadBalancers: { blue: { dnsName: "blue-lb.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" }, green: { dnsName: "green-lb.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" } } },
                apps: [
                    { name: "shop", hostnames: ["shop.example.com", "www.example.com"], namespace: "shop", service: { name: "shop", port: 80 } },
                    { name: "api", hostnames: ["*.api.example.com"], namespace: "api", service: { name: "api", port: 80 } },
                ],
            },
        }), "prod");
    });

    test.each(["blue", "green"])("dns mode: %s's external-dns excludes every hostname published as a weighted record", (color) => {
        const values = resourceNamed(plan, "kubernetes:helm.sh/v3:Release", `prod-${color}-addons-external-dns-release`).inputs.values as { excludeDomains: string[]; domainFilters: string[] };
        expect(values.excludeDomains).toEqual([".api.example.com", "shop.example.com", "www.example.com"]);
        const records = plan.resources.filter((r) => r.type === "aws:route53/record:Record").map((r) => String(r.inputs.name));
        expect(records.length).toBeGreaterThan(0);
        for (const name of records) expect(externalDnsManages(name, values.domainFilters, values.excludeDomains)).toBe(false);
    });
});
