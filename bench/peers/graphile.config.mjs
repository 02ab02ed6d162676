// PostGraphile v5, the peer in caregraph's query benchmarks (`cargo run --release -p bench`).
// It serves the same PostgreSQL tables caregraph ingested into, over GET and POST like ours.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

export default {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PORT ?? 5678),
    graphqlOverGET: true,
  },
};
