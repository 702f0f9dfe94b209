// `npm run build`: the production pages, built only when their sources changed (--force: always).
import { ensurePagesBuilt } from "./pages-build";

try {
  await ensurePagesBuilt({ root: process.cwd(), say: (line) => console.log(`build: ${line}`), force: process.argv.includes("--force") });
} catch (error) {
  console.error(`build: ${(error as Error).message}`);
  process.exitCode = 1;
}
