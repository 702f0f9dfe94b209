// Types for build-native.mjs (plain JavaScript: npm install runs it before tsx is certain to work).
export function nativeUpToDate(): boolean;
export function buildNative(options?: { force?: boolean }): { built: boolean; output: string };
