/**
 * The rollout judge against what `kubectl rollout status` says for the same objects
 * (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go): one row per branch of kubectl's viewers,
 * the expected state written from kubectl's behaviour, not from this code.
 */
import { daemonSetRollout, deploymentRollout, statefulSetRollout, DeploymentLike, StatefulSetLike, DaemonSetLike } from "../../src/workloads/rollout-status";

type State = "done" | "progressing" | "failed";

const deployment = (spec: { replicas?: number }, status: DeploymentLike["status"], generation = 3): DeploymentLike => ({ metadata: { name: "web", generation }, spec, status });

describe("Deployments, as kubectl rollout status judges them", () => {
    const rows: Array<[string, DeploymentLike, State, RegExp]> = [
        ["spec change not yet observed", deployment({ replicas: 3 }, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), "progressing", /observed/],
        ["past its progress deadline", deployment({ replicas: 3 }, { observedGeneration: 3, replicas: 3, updatedReplicas: 1, availableReplicas: 3, conditions: [{ type: "Progressing", reason: "ProgressDeadlineExceeded", status: "False" }] }), "failed", /deadline/],
        ["1 of 3 new replicas updated", deployment({ replicas: 3 }, { observedGeneration: 3, replicas: 4, updatedReplicas: 1, availableReplicas: 3 }), "progressing", /1 of 3/],
        ["old replicas pending termination", deployment({ replicas: 3 }, { observedGeneration: 3, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }), "progressing", /1 old replicas/],
        ["updated but not yet available", deployment({ replicas: 3 }, { observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }), "progressing", /2 of 3/],
        ["every replica updated and available", deployment({ replicas: 3 }, { observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), "done", /3 replicas/],
        ["scaled to zero", deployment({ replicas: 0 }, { observedGeneration: 3 }), "done", /0 replicas/],
        ["no spec.replicas: kubectl skips the updated-replicas comparison", deployment({}, { observedGeneration: 3, replicas: 0, updatedReplicas: 0, availableReplicas: 0 }), "done", /0 replicas/],
    ];
    test.each(rows)("%s", (_name, object, state, message) => {
        const verdict = deploymentRollout(object);
        expect(verdict.state).toBe(state);
        expect(verdict.message).toMatch(message);
    });
});

const sts = (spec: StatefulSetLike["spec"], status: StatefulSetLike["status"], generation = 2): StatefulSetLike => ({ metadata: { name: "pg", generation }, spec, status });

describe("StatefulSets, as kubectl rollout status judges them", () => {
    const rolling = (partition?: number) => ({ type: "RollingUpdate", rollingUpdate: partition === undefined ? {} : { partition } });
    const rows: Array<[string, StatefulSetLike, State]> = [
        ["OnDelete: not tracked", sts({ replicas: 3, updateStrategy: { type: "OnDelete" } }, { observedGeneration: 1 }), "done"],
        ["never observed (observedGeneration 0)", sts({ replicas: 3, updateStrategy: rolling(0) }, { observedGeneration: 0, readyReplicas: 3, updatedReplicas: 3 }, 0), "progressing"],
        ["spec change not observed", sts({ replicas: 3, updateStrategy: rolling(0) }, { observedGeneration: 1, readyReplicas: 3, updatedReplicas: 3 }), "progressing"],
        ["pods not ready", sts({ replicas: 3, updateStrategy: rolling(0) }, { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 3 }), "progressing"],
        ["partition 0: 1 of 3 updated although the revisions already agree", sts({ replicas: 3, updateStrategy: rolling(0) }, { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1, currentRevision: "pg-b", updateRevision: "pg-b" }), "progressing"],
        ["partition 0: all updated while currentRevision still lags", sts({ replicas: 3, updateStrategy: rolling(0) }, { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 3, currentRevision: "pg-a", updateRevision: "pg-b" }), "done"],
        ["partition 2 of 3: one updated pod is the whole rollout", sts({ replicas: 3, updateStrategy: rolling(2) }, { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1, currentRevision: "pg-a", updateRevision: "pg-b" }), "done"],
        ["partition 1 of 3: one updated pod is not enough", sts({ replicas: 3, updateStrategy: rolling(1) }, { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1 }), "progressing"],
        ["no rollingUpdate block: revisions decide (differ)", sts({ replicas: 2, updateStrategy: { type: "RollingUpdate" } }, { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 1, currentRevision: "pg-a", updateRevision: "pg-b" }), "progressing"],
        ["no rollingUpdate block: revisions decide (equal)", sts({ replicas: 2, updateStrategy: { type: "RollingUpdate" } }, { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 2, currentRevision: "pg-b", updateRevision: "pg-b" }), "done"],
    ];
    test.each(rows)("%s", (_name, object, state) => {
        expect(statefulSetRollout(object).state).toBe(state);
    });
});

const ds = (status: DaemonSetLike["status"], type = "RollingUpdate", generation = 4): DaemonSetLike => ({ metadata: { name: "agent", generation }, spec: { updateStrategy: { type } }, status });

describe("DaemonSets, as kubectl rollout status judges them", () => {
    const rows: Array<[string, DaemonSetLike, State]> = [
        ["OnDelete: not tracked", ds({ observedGeneration: 1 }, "OnDelete"), "done"],
        ["spec change not observed", ds({ observedGeneration: 3, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }), "progressing"],
        ["2 of 3 updated", ds({ observedGeneration: 4, desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 3 }), "progressing"],
        ["updated, 2 of 3 available", ds({ observedGeneration: 4, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }), "progressing"],
        ["all updated and available", ds({ observedGeneration: 4, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }), "done"],
    ];
    test.each(rows)("%s", (_name, object, state) => {
        expect(daemonSetRollout(object).state).toBe(state);
    });
});
