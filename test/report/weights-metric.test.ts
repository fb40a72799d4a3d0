import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { publishWeights } from "../../src/report/weights-metric";

describe("publishWeights", () => {
    const cloudwatch = mockClient(CloudWatchClient);
    beforeEach(() => cloudwatch.reset());

    it("puts one percent datapoint per color at the given time, under Environment and Color", async () => {
        cloudwatch.on(PutMetricDataCommand).resolves({});
        const at = new Date("2026-11-28T01:30:00Z");
        await publishWeights(new CloudWatchClient({ region: "eu-west-1" }), "prod", { blue: 75, green: 25 }, at);
        const calls = cloudwatch.commandCalls(PutMetricDataCommand);
        expect(calls).toHaveLength(1);
        expect(calls[0].args[0].input).toEqual({
            Namespace: "Bluegreen",
            MetricData: [
                { MetricName: "TrafficWeight", Dimensions: [{ Name: "Environment", Value: "prod" }, { Name: "Color", Value: "blue" }], Timestamp: at, Value: 75, Unit: "Percent" },
                { MetricName: "TrafficWeight", Dimensions: [{ Name: "Environment", Value: "prod" }, { Name: "Color", Value: "green" }], Timestamp: at, Value: 25, Unit: "Percent" },
            ],
        });
    });

    it("publishes a color at 0 % (the dashboard must see traffic leave it)", async () => {
        cloudwatch.on(PutMetricDataCommand).resolves({});
        await publishWeights(new CloudWatchClient({ region: "eu-west-1" }), "prod", { blue: 0, green: 100 }, new Date());
        const data = cloudwatch.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData!;
        expect(data.map((d) => [d.Dimensions![1].Value, d.Value])).toEqual([["blue", 0], ["green", 100]]);
    });

    it("passes CloudWatch's error on to the caller", async () => {
        cloudwatch.on(PutMetricDataCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));
        await expect(publishWeights(new CloudWatchClient({ region: "eu-west-1" }), "prod", { blue: 50, green: 50 }, new Date())).rejects.toThrow("Rate exceeded");
    });

    it.each([
        [{ blue: 120, green: -20 }, /weight of blue is 120/],
        [{ blue: Number.NaN, green: 100 }, /weight of blue is NaN/],
    ])("refuses weights that are not percentages, sending nothing (%j)", async (weights, message) => {
        await expect(publishWeights(new CloudWatchClient({ region: "eu-west-1" }), "prod", weights, new Date())).rejects.toThrow(message);
        expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    });

    it("refuses an empty environment name", async () => {
        await expect(publishWeights(new CloudWatchClient({ region: "eu-west-1" }), "", { blue: 50, green: 50 }, new Date())).rejects.toThrow(/environment's name/);
    });
});
