-- CreateTable
CREATE TABLE "room_snapshots" (
    "code" TEXT NOT NULL,
    "saved_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "snapshot" JSONB NOT NULL,

    CONSTRAINT "room_snapshots_pkey" PRIMARY KEY ("code")
);

