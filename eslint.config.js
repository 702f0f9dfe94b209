// `npm run lint` (part of `npm test`): typescript-eslint's recommended rules everywhere and React's
// two hooks rules (rules-of-hooks, exhaustive-deps) for the pages, with zero warnings allowed.
// Not eslint-plugin-react-hooks' whole v7 "recommended" set: its React Compiler rules judge code
// by what that compiler can optimise, and this project does not use the compiler.
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  {
    ignores: ["node_modules/", ".next/", ".data/", ".cache/", "artifacts/", "test-results/", "server/persistence/generated/", "model/node/native/build/", "next-env.d.ts"],
  },
  tseslint.configs.recommended,
  {
    files: ["app/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
  {
    rules: {
      // `_`-named parameters and rest siblings are unused on purpose (signatures, omitting keys).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    // Tests send malformed and hostile payloads on purpose; `any` is how they get past the protocol's types.
    files: ["tests/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
