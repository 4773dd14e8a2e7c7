// Points the app's database handle (db()) at a test database for in-process service tests.
import type { Database } from "../../app/server/db.server";

export function useDatabase(database: Database): void {
  globalThis.__avisaDatabase = database;
}
