/**
 * Where the program gets the cutover's state when Pulumi runs for real (as crd-deps.ts does for the
 * CRD gate): weights-only mode from the environment variable the cutover's Automation API adapter
 * sets, the record from the environment's DynamoDB table and the live weights from the ELBv2 rules
 * it names (both found through the stack's own previous outputs), and the previous config digest.
 */
import * as pulumi from "@pulumi/pulumi";
import { ACCEPT_WEIGHTS_ENV, CutoverProgramDeps, WEIGHTS_ONLY_ENV } from "../src/cutover/program-guard";

function previousOutput(name: string): () => Promise<unknown> {
    let self: pulumi.StackReference | undefined;
    return async () => {
        self ??= new pulumi.StackReference(`${pulumi.getStack()}-previous-cutover-outputs`, { name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}` });
        const details = await self.getOutputDetails(name);
        return details.value ?? details.secretValue;
    };
}

export function pulumiCutoverDeps(region: string, env: NodeJS.ProcessEnv = process.env): CutoverProgramDeps {
    const cutoverStateOutput = previousOutput("cutoverState");
    return {
        weightsOnly: env[WEIGHTS_ONLY_ENV] === "1",
        acceptWeightChange: env[ACCEPT_WEIGHTS_ENV] === "1",
        previousConfigDigest: async () => (await previousOutput("configDigest")()) as string | undefined,
        cutoverState: async () => {
            const tableName = ((await cutoverStateOutput()) as { tableName?: string } | undefined)?.tableName;
            if (!tableName) return undefined;
            const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
            const { DynamoCutoverStore } = await import("../src/cutover/dynamo-store");
            const record = await new DynamoCutoverStore(new DynamoDBClient({ region }), tableName).readRecord();
            if (!record || record.rules.length === 0) return { record };
            const { ElasticLoadBalancingV2Client } = await import("@aws-sdk/client-elastic-load-balancing-v2");
            const { readRuleWeights } = await import("../src/cutover/elb-routing");
            const { uniformWeights } = await import("../src/cutover/run");
            const live = uniformWeights(await readRuleWeights(new ElasticLoadBalancingV2Client({ region }), record.rules).catch(() => ({})));
            return { record, live };
        },
    };
}
