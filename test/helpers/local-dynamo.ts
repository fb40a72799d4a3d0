/**
 * A DynamoDB-compatible server on localhost (dynalite) for one test file: started before its tests,
 * stopped after, with a fresh cutover-shaped table (pk/sk, on demand) per call of `table()`.
 */
import { AddressInfo } from "net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite");

export interface LocalDynamo {
    /** The client of the running server (valid inside tests and hooks). */
    readonly client: DynamoDBClient;
    /** The server's URL (for code that builds its own client, e.g. AWS_ENDPOINT_URL_DYNAMODB). */
    readonly endpoint: string;
    /** Creates a new table `<prefix>-<n>` with the cutover table's key schema and returns its name. */
    table(): Promise<string>;
}

export function localDynamo(prefix: string): LocalDynamo {
    let server: { listen: (port: number, cb: () => void) => void; close: (cb: () => void) => void; address: () => AddressInfo };
    let client: DynamoDBClient | undefined;
    let endpoint = "";
    let tableNo = 0;
    beforeAll(async () => {
        server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
        await new Promise<void>((resolve) => server.listen(0, resolve));
        endpoint = `http://127.0.0.1:${server.address().port}`;
        client = new DynamoDBClient({ endpoint, region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    });
    afterAll(async () => {
        client?.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return {
        get endpoint() {
            return endpoint;
        },
        get client() {
            if (!client) throw new Error("localDynamo: the server starts in beforeAll; use the client inside tests");
            return client;
        },
        async table() {
            const name = `${prefix}-${++tableNo}`;
            await this.client.send(new CreateTableCommand({
                TableName: name, BillingMode: "PAY_PER_REQUEST",
                AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "S" }],
                KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
            }));
            return name;
        },
    };
}
