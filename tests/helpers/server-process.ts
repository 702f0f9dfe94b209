// A game server in a process of its own, so a test can kill -9 it or restart it. Prints
// "listening on PORT"; SIGTERM stops it cleanly, as npm start's server does.
import { startServer } from "../../server/start";

const server = await startServer({
  port: Number(process.env.PORT ?? 0),
  host: "127.0.0.1",
  pages: false,
  databaseUrl: process.env.DATABASE_URL!,
  redisUrl: process.env.REDIS_URL!,
});
process.once("SIGTERM", () => void server.stop().then(() => process.exit(0)));
console.log(`listening on ${server.port}`);
