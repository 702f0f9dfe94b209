// A game server in a process of its own, so a test can kill -9 it. Prints "listening on PORT".
import { startServer } from "../../server/start";

const server = await startServer({
  port: 0,
  host: "127.0.0.1",
  pages: false,
  databaseUrl: process.env.DATABASE_URL!,
  redisUrl: process.env.REDIS_URL!,
});
console.log(`listening on ${server.port}`);
