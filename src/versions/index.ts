export * from "./minor-version";
export * from "./upgrade-rules";
export * from "./eks-calendar";
