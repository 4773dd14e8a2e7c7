// Prisma CLI configuration. Driver adapters keep Prisma fully offline: no engine binaries are
// downloaded, the CLI talks to the database through the same JavaScript drivers as the app.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";

const databaseUrl = process.env.DATABASE_URL || "file:./prisma/dev.sqlite";
const isPostgres = /^postgres(ql)?:\/\//.test(databaseUrl);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: isPostgres
    ? path.join("prisma", "postgres", "schema.prisma")
    : path.join("prisma", "schema.prisma"),
  migrations: {
    path: isPostgres ? path.join("prisma", "postgres", "migrations") : path.join("prisma", "migrations"),
  },
  async adapter() {
    return isPostgres
      ? new PrismaPg({ connectionString: databaseUrl })
      : new PrismaLibSQL({ url: databaseUrl });
  },
});
