export * from "./limits";
export * from "./messages";
export * from "./snapshot";
export * from "./nickname";
export * from "./live-ink";
