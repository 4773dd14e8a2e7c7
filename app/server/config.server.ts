// The one place the environment is read. Every key is validated at start-up and a bad
// environment stops the app with one message that names every problem at once.
import { z } from "zod";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);
const DEMO_DEFAULT_PORT = 3457;

const flag = z
  .enum(["1", "0", "true", "false", ""])
  .optional()
  .transform((value) => value === "1" || value === "true");

const environmentSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    AVISA_DEMO: flag,
    HOST: z.string().min(1).optional(),
    PORT: z.coerce.number().int().min(1).max(65535).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: (SQLite) or postgresql:// (PostgreSQL)")
      .default("file:./prisma/dev.sqlite"),
    SHOPIFY_API_KEY: z.string().min(1).optional(),
    SHOPIFY_API_SECRET: z.string().min(1).optional(),
    SHOPIFY_APP_URL: z.string().url("must be a full URL such as https://avisa.example.com").optional(),
    SCOPES: z.string().min(1).optional(),
    SHOP_CUSTOM_DOMAIN: z.string().optional(),
    AVISA_ENCRYPTION_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 random bytes in base64 (openssl rand -base64 32)")
      .optional(),
    MESSAGE_DELIVERY: z.enum(["vendors", "outbox"]).optional(),
    SENDGRID_API_KEY: z.string().min(1).optional(),
    SENDGRID_FROM_EMAIL: z.string().email("must be an email address SendGrid has verified as a sender").optional(),
    SENDGRID_FROM_NAME: z.string().min(1).optional(),
    SENDGRID_BASE_URL: z.string().url().default("https://api.sendgrid.com"),
    SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().min(1).optional(),
    // Inbound Parse: mail to <shop-handle>@SENDGRID_INBOUND_DOMAIN reaches the inbox; the
    // destination URL carries SENDGRID_INBOUND_KEY (SendGrid does not sign these posts).
    SENDGRID_INBOUND_DOMAIN: z.string().min(3).optional(),
    SENDGRID_INBOUND_KEY: z.string().min(16, "must be at least 16 characters: it is the only proof a post came from SendGrid").optional(),
    TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must look like AC followed by 32 hex characters").optional(),
    TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
    TWILIO_SMS_FROM: z.string().min(1).optional(),
    TWILIO_WHATSAPP_FROM: z.string().min(1).optional(),
    TWILIO_BASE_URL: z.string().url().default("https://api.twilio.com"),
    WEBHOOK_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    AVISA_WORKER: z.enum(["inline", "off"]).default("inline"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  })
  .superRefine((env, ctx) => {
    const problem = (path: string, message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (env.AVISA_DEMO) {
      if (env.NODE_ENV === "production") {
        problem("AVISA_DEMO", "demo mode cannot be switched on in a production build (NODE_ENV=production)");
      }
      if (env.HOST && !LOOPBACK_HOSTS.has(env.HOST)) {
        problem("HOST", "demo mode only listens on 127.0.0.1; unset HOST or set it to 127.0.0.1");
      }
      return;
    }
    for (const key of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SCOPES"] as const) {
      if (!env[key]) problem(key, "is required (copy it from your app in the Partner Dashboard, or run the demo with npm run demo)");
    }
    if (env.NODE_ENV === "production" && !env.AVISA_ENCRYPTION_KEY) {
      problem("AVISA_ENCRYPTION_KEY", "is required in production to encrypt shop credentials");
    }
  });

export const DEMO_SHOP_DOMAIN = "avisa-demo.myshopify.com";
// Demo credentials are public on purpose: they only sign the demo store's own webhooks.
export const DEMO_API_KEY = "avisa-demo-api-key";
export const DEMO_API_SECRET = "avisa-demo-api-secret";
const DEMO_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

export type AppConfig = {
  nodeEnv: "development" | "production" | "test";
  demoMode: boolean;
  host: string;
  port: number;
  databaseUrl: string;
  databaseKind: "sqlite" | "postgresql";
  shopify: { apiKey: string; apiSecret: string; appUrl: string; scopes: string[]; customShopDomains: string[] };
  encryptionKey: Buffer;
  /** vendors: SendGrid and Twilio; outbox: keep messages locally (the demo's default). */
  messageDelivery: "vendors" | "outbox";
  /** App-level vendor credentials; a shop may set its own in Settings. */
  sendgrid: { apiKey?: string; fromEmail?: string; fromName?: string; baseUrl: string; webhookPublicKey?: string; inboundDomain?: string; inboundKey?: string };
  twilio: { accountSid?: string; authToken?: string; smsFrom?: string; whatsappFrom?: string; baseUrl: string };
  webhookMaxBodyBytes: number;
  /** inline: the web process also runs the job worker; off: run `npm run worker` separately. */
  worker: "inline" | "off";
  logLevel: "debug" | "info" | "warn" | "error";
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Avisa cannot start: the environment has ${problems.length} problem(s):\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        "\nSee .env.example for every key and what it means.",
    );
    this.name = "ConfigError";
  }
}

export function parseConfig(environment: Record<string, string | undefined>): AppConfig {
  // `KEY=` in an .env file means "not set", not "set to nothing".
  const given = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ""));
  const parsed = environmentSchema.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`));
  }
  const env = parsed.data;
  const demo = env.AVISA_DEMO;
  const port = env.PORT ?? (demo ? DEMO_DEFAULT_PORT : 3000);
  const host = demo ? "127.0.0.1" : (env.HOST ?? "0.0.0.0");
  return {
    nodeEnv: env.NODE_ENV,
    demoMode: demo,
    host,
    port,
    databaseUrl: env.DATABASE_URL,
    databaseKind: env.DATABASE_URL.startsWith("file:") ? "sqlite" : "postgresql",
    shopify: {
      apiKey: env.SHOPIFY_API_KEY ?? DEMO_API_KEY,
      apiSecret: demo ? (env.SHOPIFY_API_SECRET ?? DEMO_API_SECRET) : env.SHOPIFY_API_SECRET!,
      appUrl: env.SHOPIFY_APP_URL ?? `http://127.0.0.1:${port}`,
      scopes: (env.SCOPES ?? "").split(",").map((s) => s.trim()).filter(Boolean),
      customShopDomains: env.SHOP_CUSTOM_DOMAIN ? [env.SHOP_CUSTOM_DOMAIN] : [],
    },
    encryptionKey: Buffer.from(env.AVISA_ENCRYPTION_KEY ?? DEMO_ENCRYPTION_KEY, "base64"),
    messageDelivery: env.MESSAGE_DELIVERY ?? (demo ? "outbox" : "vendors"),
    sendgrid: {
      apiKey: env.SENDGRID_API_KEY,
      fromEmail: env.SENDGRID_FROM_EMAIL,
      fromName: env.SENDGRID_FROM_NAME,
      baseUrl: env.SENDGRID_BASE_URL,
      webhookPublicKey: env.SENDGRID_WEBHOOK_PUBLIC_KEY,
      inboundDomain: env.SENDGRID_INBOUND_DOMAIN,
      inboundKey: env.SENDGRID_INBOUND_KEY,
    },
    twilio: {
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      smsFrom: env.TWILIO_SMS_FROM,
      whatsappFrom: env.TWILIO_WHATSAPP_FROM,
      baseUrl: env.TWILIO_BASE_URL,
    },
    webhookMaxBodyBytes: env.WEBHOOK_MAX_BODY_BYTES,
    worker: env.AVISA_WORKER,
    logLevel: env.LOG_LEVEL,
  };
}

let cached: AppConfig | undefined;

/** The validated configuration of this process (parsed once, on first use). */
export function config(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests only: forget the parsed configuration so the next config() reads process.env again. */
export function resetConfigForTests(): void {
  cached = undefined;
}
