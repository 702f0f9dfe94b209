-- AlterTable
ALTER TABLE "drawings" ADD COLUMN     "points_stored" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "strokes_stored" INTEGER NOT NULL DEFAULT 0;


-- Hand-written below (Prisma models neither CHECKs nor triggers).
-- Drawings stored before this migration count what they hold.
UPDATE "drawings" AS d SET "points_stored" = s.points, "strokes_stored" = s.strokes
FROM (SELECT "drawing_id", sum(cardinality("xs"))::int AS points, count(*)::int AS strokes FROM "strokes" GROUP BY "drawing_id") AS s
WHERE d."id" = s."drawing_id";

-- The same caps as protocol/limits.ts (MAX_POINTS_PER_DRAWING, MAX_STROKES_SENT_PER_DRAWING): undo and
-- clear keep rows, so without a cap add + clear cycles grow storage forever. NOT VALID: older rows
-- past the caps stay; every new write is checked.
ALTER TABLE "drawings" ADD CONSTRAINT "drawings_ink_cap"
  CHECK ("points_stored" <= 20000 AND "strokes_stored" <= 1000) NOT VALID;

-- One counting UPDATE per INSERT statement (the stroke batcher writes thousands of rows in one).
-- Rows are locked in id order first, so concurrent batches touching the same drawings can't deadlock;
-- NO KEY UPDATE because every insert already holds KEY SHARE on its drawing (the foreign key),
-- which FOR UPDATE would wait on.
-- Going past the cap fails the INSERT with check_violation (23514), which the batcher retries per caller.
CREATE FUNCTION "count_stored_ink"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "drawings" WHERE "id" IN (SELECT "drawing_id" FROM new_strokes) ORDER BY "id" FOR NO KEY UPDATE;
  UPDATE "drawings" AS d
     SET "points_stored" = d."points_stored" + n.points, "strokes_stored" = d."strokes_stored" + n.strokes
    FROM (SELECT "drawing_id", sum(cardinality("xs"))::int AS points, count(*)::int AS strokes
            FROM new_strokes GROUP BY "drawing_id") AS n
   WHERE d."id" = n."drawing_id";
  RETURN NULL;
END
$$;

CREATE TRIGGER "strokes_count_ink" AFTER INSERT ON "strokes"
  REFERENCING NEW TABLE AS new_strokes FOR EACH STATEMENT EXECUTE FUNCTION "count_stored_ink"();
