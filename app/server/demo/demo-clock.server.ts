// The demo clock: wall-clock time plus an offset the store simulator moves forward, so a
// newcomer can watch a "24 hours later" step happen in a minute. Stored per demo shop.
import type { Clock } from "../../domain/ports";
import type { Database } from "../db.server";

export class DemoClock implements Clock {
  private offsetSeconds = 0;

  constructor(
    private readonly database: Database,
    private readonly shopDomain: string,
  ) {}

  now(): Date {
    return new Date(Date.now() + this.offsetSeconds * 1000);
  }

  get offset(): number {
    return this.offsetSeconds;
  }

  async load(): Promise<void> {
    const row = await this.database.demoClock.findUnique({ where: { shopDomain: this.shopDomain } });
    this.offsetSeconds = row?.offsetSeconds ?? 0;
  }

  async advance(seconds: number): Promise<Date> {
    if (!Number.isInteger(seconds) || seconds <= 0 || seconds > 366 * 24 * 3600) {
      throw new RangeError("the demo clock moves forward by 1 second to 366 days at a time");
    }
    const row = await this.database.demoClock.upsert({
      where: { shopDomain: this.shopDomain },
      create: { shopDomain: this.shopDomain, offsetSeconds: seconds },
      update: { offsetSeconds: { increment: seconds } },
    });
    this.offsetSeconds = row.offsetSeconds;
    return this.now();
  }

  async reset(): Promise<void> {
    await this.database.demoClock.deleteMany({ where: { shopDomain: this.shopDomain } });
    this.offsetSeconds = 0;
  }
}

export const systemClock: Clock = { now: () => new Date() };
