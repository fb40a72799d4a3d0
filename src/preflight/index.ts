export * from "./model";
export * from "./checks";
export * from "./run";
export * from "./format";
export * from "./previous";
export * from "./cutover-plan";
export * from "./live";
