import { daemonSetRollout, deploymentRollout, statefulSetRollout, DeploymentLike, StatefulSetLike, DaemonSetLike } from "../../src/workloads/rollout-status";

const deployment = (status: NonNullable<DeploymentLike["status"]>, replicas = 3, generation = 4): DeploymentLike => ({ metadata: { name: "web", namespace: "shop", generation }, spec: { replicas }, status });
const done = { observedGeneration: 4, replicas: 3, updatedReplicas: 3, availableReplicas: 3 };

describe("Deployments, as kubectl rollout status judges them", () => {
    test.each<[string, DeploymentLike, string, RegExp]>([
        ["rolled out", deployment(done), "done", /3 replicas updated and available/],
        ["spec not yet observed", deployment({ ...done, observedGeneration: 3 }), "progressing", /spec update to be observed/],
        ["no status yet", { metadata: { generation: 1 }, spec: { replicas: 3 } }, "progressing", /observed/],
        ["new replicas not all updated", deployment({ ...done, updatedReplicas: 1 }), "progressing", /1 of 3 new replicas updated/],
        ["old replicas still terminating", deployment({ ...done, replicas: 4 }), "progressing", /1 old replicas pending termination/],
        ["updated but not available", deployment({ ...done, availableReplicas: 2 }), "progressing", /2 of 3 updated replicas available/],
        ["past its progress deadline", deployment({ ...done, availableReplicas: 2, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] }), "failed", /progress deadline/],
        ["a deadline of an older generation is not judged before the new spec is observed", deployment({ ...done, observedGeneration: 3, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] }), "progressing", /observed/],
        ["progressing normally (NewReplicaSetAvailable)", deployment({ ...done, conditions: [{ type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" }] }), "done", /available/],
        ["scaled to zero", deployment({ observedGeneration: 4 }, 0), "done", /0 replicas/],
    ])("%s", (_name, d, state, message) => {
        const verdict = deploymentRollout(d);
        expect(verdict.state).toBe(state);
        expect(verdict.message).toMatch(message);
    });
});

const sts = (spec: Partial<NonNullable<StatefulSetLike["spec"]>>, status: NonNullable<StatefulSetLike["status"]>, generation = 2): StatefulSetLike => ({ metadata: { name: "pg", namespace: "db", generation }, spec: { replicas: 3, ...spec }, status });
const stsDone = { observedGeneration: 2, replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentRevision: "pg-2", updateRevision: "pg-2" };

describe("StatefulSets", () => {
    test.each<[string, StatefulSetLike, string]>([
        ["rolled out", sts({}, stsDone), "done"],
        ["observedGeneration missing", sts({}, { ...stsDone, observedGeneration: undefined }), "progressing"],
        ["spec not yet observed", sts({}, { ...stsDone, observedGeneration: 1 }), "progressing"],
        ["a pod not ready", sts({}, { ...stsDone, readyReplicas: 2 }), "progressing"],
        ["revisions differ", sts({}, { ...stsDone, currentRevision: "pg-1", updatedReplicas: 1 }), "progressing"],
        ["partition 2: one new pod is all that is asked", sts({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } }, { ...stsDone, updatedReplicas: 1, currentRevision: "pg-1" }), "done"],
        ["partition 1: two new pods needed, one updated", sts({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } }, { ...stsDone, updatedReplicas: 1, currentRevision: "pg-1" }), "progressing"],
        ["partition 0 (set): judged by updated pods, as kubectl does", sts({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } } }, { ...stsDone, updatedReplicas: 3, currentRevision: "pg-1" }), "done"],
        ["partition above replicas", sts({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 5 } } }, { ...stsDone, updatedReplicas: 0 }), "done"],
        ["OnDelete with all pods ready", sts({ updateStrategy: { type: "OnDelete" } }, { ...stsDone, currentRevision: "pg-1" }), "done"],
        ["OnDelete with a pod not ready is not passed unseen", sts({ updateStrategy: { type: "OnDelete" } }, { ...stsDone, readyReplicas: 0 }), "progressing"],
    ])("%s", (_name, s, state) => {
        expect(statefulSetRollout(s).state).toBe(state);
    });
});

const ds = (type: string | undefined, status: NonNullable<DaemonSetLike["status"]>, generation = 5): DaemonSetLike => ({ metadata: { name: "agent", namespace: "kube-system", generation }, spec: type ? { updateStrategy: { type } } : {}, status });
const dsDone = { observedGeneration: 5, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 };

describe("DaemonSets", () => {
    test.each<[string, DaemonSetLike, string]>([
        ["rolled out", ds(undefined, dsDone), "done"],
        ["spec not yet observed", ds("RollingUpdate", { ...dsDone, observedGeneration: 4 }), "progressing"],
        ["observedGeneration missing", ds("RollingUpdate", { ...dsDone, observedGeneration: undefined }), "progressing"],
        ["not all updated", ds("RollingUpdate", { ...dsDone, updatedNumberScheduled: 2 }), "progressing"],
        ["updated but not available", ds("RollingUpdate", { ...dsDone, numberAvailable: 2 }), "progressing"],
        ["OnDelete: old pods are fine while available", ds("OnDelete", { ...dsDone, updatedNumberScheduled: 0 }), "done"],
        ["OnDelete with unavailable pods is not passed unseen", ds("OnDelete", { ...dsDone, numberAvailable: 1 }), "progressing"],
        ["nothing scheduled", ds("RollingUpdate", { observedGeneration: 5, desiredNumberScheduled: 0 }), "done"],
    ])("%s", (_name, d, state) => {
        expect(daemonSetRollout(d).state).toBe(state);
    });
});
