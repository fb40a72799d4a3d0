export * from "./model";
export * from "./colors";
export * from "./checks";
export * from "./run";
export * from "./format";
export * from "./previous";
