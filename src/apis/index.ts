export * from "./api-table";
export * from "./scan";
export * from "./extra-rules";
export * from "./manifest-files";
export * from "./format";
