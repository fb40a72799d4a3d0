/** A local HTTP server for source tests: fixed routes, a hanging route, and a request log. */
import * as http from "http";
import { AddressInfo } from "net";

export type Route = { status?: number; body: string | Buffer; contentType?: string } | "hang";

export interface TestServer {
    url: string;
    requests: string[];
    routes: Map<string, Route>;
    close(): Promise<void>;
}

export async function startServer(routes: Record<string, Route> = {}): Promise<TestServer> {
    const table = new Map(Object.entries(routes));
    const requests: string[] = [];
    const hanging: http.ServerResponse[] = [];
    const server = http.createServer((req, res) => {
        const path = (req.url ?? "/").split("?")[0];
        requests.push(path);
        const route = table.get(path);
        if (route === "hang") {
            hanging.push(res);
            return;
        }
        if (!route) {
            res.writeHead(404, { "content-type": "text/plain" }).end("not found");
            return;
        }
        res.writeHead(route.status ?? 200, { "content-type": route.contentType ?? "application/octet-stream" }).end(route.body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        routes: table,
        close: () =>
            new Promise<void>((resolve) => {
                for (const res of hanging) res.destroy();
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
