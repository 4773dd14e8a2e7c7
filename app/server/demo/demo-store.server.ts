// Reads and writes the demo store's records (see demo-store-data.ts). Scoped by shop domain.
import type { Database } from "../db.server";
import type { DemoRecordKind, DemoRecordKinds } from "./demo-store-data";

export class DemoStore {
  constructor(
    private readonly database: Database,
    readonly shopDomain: string,
  ) {}

  async list<K extends DemoRecordKind>(kind: K, options: { newestFirst?: boolean; take?: number } = {}): Promise<DemoRecordKinds[K][]> {
    const rows = await this.database.demoStoreRecord.findMany({
      where: { shopDomain: this.shopDomain, kind },
      orderBy: [{ createdAt: options.newestFirst ? "desc" : "asc" }, { shopifyId: options.newestFirst ? "desc" : "asc" }],
      take: options.take,
    });
    return rows.map((row) => JSON.parse(row.data) as DemoRecordKinds[K]);
  }

  async get<K extends DemoRecordKind>(kind: K, shopifyId: string): Promise<DemoRecordKinds[K] | null> {
    const row = await this.database.demoStoreRecord.findUnique({
      where: { shopDomain_kind_shopifyId: { shopDomain: this.shopDomain, kind, shopifyId } },
    });
    return row ? (JSON.parse(row.data) as DemoRecordKinds[K]) : null;
  }

  async put<K extends DemoRecordKind>(kind: K, shopifyId: string, data: DemoRecordKinds[K], createdAt?: Date): Promise<void> {
    const json = JSON.stringify(data);
    await this.database.demoStoreRecord.upsert({
      where: { shopDomain_kind_shopifyId: { shopDomain: this.shopDomain, kind, shopifyId } },
      create: { shopDomain: this.shopDomain, kind, shopifyId, data: json, ...(createdAt ? { createdAt } : {}) },
      update: { data: json },
    });
  }

  async delete(kind: DemoRecordKind, shopifyId: string): Promise<boolean> {
    const { count } = await this.database.demoStoreRecord.deleteMany({ where: { shopDomain: this.shopDomain, kind, shopifyId } });
    return count > 0;
  }

  async count(kind: DemoRecordKind): Promise<number> {
    return this.database.demoStoreRecord.count({ where: { shopDomain: this.shopDomain, kind } });
  }
}
