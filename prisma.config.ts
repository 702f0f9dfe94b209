// Configures the Prisma CLI (generate, migrate). The app itself never reads this: it gets its URL
// from server/persistence/database.ts. DATABASE_URL may be unset (e.g. `prisma generate` during
// `npm ci`), which is why this does not use prisma/config's env(), which throws then.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
