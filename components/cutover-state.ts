/**
 * The environment's cutover state: a small on-demand DynamoDB table holding the cutover lease and
 * record (src/cutover/dynamo-store.ts). It belongs to the environment, not to a color, and outlives
 * both clusters; point-in-time recovery keeps the history of a night's cutover.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export interface CutoverStateArgs {
    environment: string;
}

export class CutoverState extends pulumi.ComponentResource {
    readonly table: aws.dynamodb.Table;
    readonly tableName: pulumi.Output<string>;

    constructor(name: string, args: CutoverStateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:index:CutoverState", name, {}, opts);
        this.table = new aws.dynamodb.Table(`${args.environment}-cutover`, {
            name: `${args.environment}-bluegreen-cutover`,
            billingMode: "PAY_PER_REQUEST",
            hashKey: "pk",
            rangeKey: "sk",
            attributes: [{ name: "pk", type: "S" }, { name: "sk", type: "S" }],
            pointInTimeRecovery: { enabled: true },
            serverSideEncryption: { enabled: true },
        }, { parent: this });
        this.tableName = this.table.name;
        this.registerOutputs({ tableName: this.tableName, tableArn: this.table.arn });
    }
}
