// Players' doodles for fine-tune tests: real Quick, Draw! drawings of the training split, stored
// as rounds of one room the way the game stores them (one drawing per player and round).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { splitHeldOut } from "../../model/dataset";
import { loadQuickDraw } from "../../model/node/quickdraw";

export async function seedDoodles(url: string, perCategory: Record<string, number>, startedAt = new Date()): Promise<number> {
  const categories = Object.keys(perCategory);
  const { train } = splitHeldOut(await loadQuickDraw(undefined, categories));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let n = 0;
  try {
    const roomId = randomUUID();
    await client.query("INSERT INTO rooms (id, code, rounds, round_seconds, created_at) VALUES ($1, $2, 3, 60, now())", [roomId, roomId.slice(0, 6).toUpperCase()]);
    for (const [index, category] of categories.entries()) {
      const roundId = randomUUID();
      await client.query("INSERT INTO rounds (id, room_id, game_number, index, word, started_at) VALUES ($1, $2, 1, $3, $4, $5)", [roundId, roomId, index, category, startedAt]);
      for (const sample of train.filter((s) => s.category === category && s.recognized).slice(0, perCategory[category])) {
        const playerId = randomUUID(), drawingId = randomUUID();
        await client.query("INSERT INTO players (id, room_id, nickname, joined_at) VALUES ($1, $2, 'p', now())", [playerId, roomId]);
        await client.query("INSERT INTO drawings (id, round_id, player_id) VALUES ($1, $2, $3)", [drawingId, roundId, playerId]);
        for (const [i, [xs, ys]] of sample.drawing.entries()) {
          await client.query("INSERT INTO strokes (drawing_id, client_id, xs, ys, ts) VALUES ($1, $2, $3, $4, $5)", [drawingId, `s${i}`, xs, ys, xs.map((_, k) => i * 1000 + k * 10)]);
        }
        n++;
      }
    }
  } finally {
    await client.end();
  }
  return n;
}
