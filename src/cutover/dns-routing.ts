/**
 * The live weights in dns mode: the weighted records of each app's first hostname in the routing's
 * hosted zone (Route 53 ListResourceRecordSets; one record per color, SetIdentifier = the color).
 */
import { ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { COLORS, Weights } from "../config/colors";
import type { LiveRouting, StackView } from "./model";

const fqdn = (name: string) => (name.endsWith(".") ? name : `${name}.`).toLowerCase();

export function route53LiveRouting(client: Route53Client): LiveRouting {
    return {
        async read(view: StackView) {
            if (!view.hostedZoneId) throw new Error("dns mode without bluegreen:routing.hostedZoneId: the weighted records cannot be read");
            const out: Record<string, Weights> = {};
            for (const [app, routed] of Object.entries(view.apps)) {
                const hostname = routed.hostnames[0];
                if (!hostname) continue;
                const page = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: view.hostedZoneId, StartRecordName: hostname, MaxItems: 20 }));
                const records = (page.ResourceRecordSets ?? []).filter((r) => fqdn(r.Name ?? "") === fqdn(hostname) && r.SetIdentifier && r.Weight !== undefined);
                out[app] = Object.fromEntries(COLORS.map((c) => [c, records.find((r) => r.SetIdentifier === c)?.Weight ?? 0])) as Weights;
            }
            return out;
        },
    };
}
