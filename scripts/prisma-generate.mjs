// `npm install` hook: generates the Prisma client into server/persistence/generated.
// The Prisma 7 CLI wants to download its native schema engine before any command, even though
// `generate` never runs it; offline that download fails. Pointing PRISMA_SCHEMA_ENGINE_BINARY at
// any existing executable skips the download (the app itself talks to Postgres through
// @prisma/adapter-pg and needs no engine). A value set by the caller is left alone.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve("prisma/build/index.js");
} catch {
  console.error("prisma-generate: the `prisma` package (a devDependency) is not installed, so the client cannot be generated.");
  process.exit(1);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
  CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE ?? "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
