-- CreateTable
CREATE TABLE "admin_session_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "admin_session_version_pkey" PRIMARY KEY ("id")
);

-- Written by hand: scripts/new-migration.sh's Prisma 6 engine stopped ("RuntimeError: unreachable") replaying
-- 20261207170401_ink_caps (its trigger or NOT VALID check; not looked into). The one row the servers read and bump:
INSERT INTO "admin_session_version" ("id", "version") VALUES (1, 0);
