export { parseCrdStreams, CrdInputError } from "./parse";
export type { CrdSet, ParsedCrd, JsonObject } from "./parse";
export { diffCrdSets, summarize } from "./diff";
export type { CrdChange, CrdDiffResult, CrdDiffSummary, CrdDiffOptions } from "./diff";
export { formatCrdDiffHuman, crdDiffToJson, orderChanges } from "./format";
export { RULES, RULE_IDS, CHANGE_CLASSES, VERDICT_ORDER, classOf, maxVerdict, verdictAtMost, parseRuleOverrides, RuleOverridesError } from "./rules";
export type { ChangeClass, Verdict, RuleId, RuleOverrides } from "./rules";
