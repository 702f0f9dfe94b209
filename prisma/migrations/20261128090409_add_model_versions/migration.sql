-- CreateTable
CREATE TABLE "model_versions" (
    "version" TEXT NOT NULL,
    "parent" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "job_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "metadata" JSONB NOT NULL,
    "figures" JSONB NOT NULL,

    CONSTRAINT "model_versions_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "model_files" (
    "version" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "body" BYTEA NOT NULL,

    CONSTRAINT "model_files_pkey" PRIMARY KEY ("version","path")
);

-- CreateTable
CREATE TABLE "model_activations" (
    "seq" BIGSERIAL NOT NULL,
    "version" TEXT NOT NULL,
    "activated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_activations_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "finetune_jobs" (
    "id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "parent_version" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "step" INTEGER NOT NULL DEFAULT 0,
    "total_steps" INTEGER NOT NULL,
    "phase" TEXT NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "result_version" TEXT,
    "data_counts" JSONB,
    "sample_png" BYTEA,
    "sample_step" INTEGER,

    CONSTRAINT "finetune_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finetune_progress" (
    "job_id" UUID NOT NULL,
    "step" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "losses" JSONB NOT NULL,
    "steps_per_sec" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "finetune_progress_pkey" PRIMARY KEY ("job_id","step")
);

-- CreateTable
CREATE TABLE "finetune_checkpoints" (
    "job_id" UUID NOT NULL,
    "step" INTEGER NOT NULL,
    "saved_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "state" JSONB NOT NULL,
    "files" BYTEA NOT NULL,

    CONSTRAINT "finetune_checkpoints_pkey" PRIMARY KEY ("job_id")
);

-- CreateIndex
CREATE INDEX "finetune_jobs_created_at_idx" ON "finetune_jobs"("created_at");

-- AddForeignKey
ALTER TABLE "model_files" ADD CONSTRAINT "model_files_version_fkey" FOREIGN KEY ("version") REFERENCES "model_versions"("version") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finetune_progress" ADD CONSTRAINT "finetune_progress_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "finetune_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finetune_checkpoints" ADD CONSTRAINT "finetune_checkpoints_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "finetune_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

