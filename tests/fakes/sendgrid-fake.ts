// A local SendGrid that speaks its v3 API: Mail Send answers 202 with X-Message-Id, 400 with
// `{ errors: [{ message, field, help }] }` when the request breaks SendGrid's own OpenAPI spec
// (or the rules it leaves out), 401 for a wrong Bearer key. GET /v3/scopes answers for the key.
// It also signs Event Webhook posts the way SendGrid does (ECDSA P-256 over timestamp + body),
// with a key pair of its own whose public half it shows as SendGrid does (base64 DER).
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from "node:crypto";
import { HttpFake, type RecordedRequest, type Reply } from "./openapi-check";

export type SendGridReply = { status: number; headers?: Record<string, string>; body?: unknown };

export type SendGridFakeOptions = {
  apiKey?: string;
  /** What GET /v3/scopes lists for the key. */
  scopes?: string[];
};

/** A mail SendGrid accepted. */
export type AcceptedMail = { xMessageId: string; mail: SendGridMailBody };

export type SendGridMailBody = {
  personalizations: Array<{ to: Array<{ email: string; name?: string }>; custom_args?: Record<string, string> }>;
  from: { email: string; name?: string };
  reply_to?: { email: string; name?: string };
  subject?: string;
  content?: Array<{ type: string; value: string }>;
  headers?: Record<string, string>;
  custom_args?: Record<string, string>;
};

// Bodies SendGrid sends with these statuses.
const DEFAULT_ERRORS: Record<number, string> = {
  400: "Bad Request",
  401: "The provided authorization grant is invalid, expired, or revoked",
  403: "access forbidden",
  413: "Payload Too Large",
  429: "too many requests",
  500: "internal error",
  503: "service unavailable",
};

export class SendGridFake {
  readonly apiKey: string;
  scopes: string[];
  /** Mails answered with 202, in order. */
  readonly accepted: AcceptedMail[] = [];
  /** The Event Webhook verification key, base64 DER (SPKI), as SendGrid's settings page shows it. */
  readonly publicKey: string;
  private readonly privateKey: KeyObject;
  private readonly script: SendGridReply[] = [];
  private http!: HttpFake;

  private constructor(options: SendGridFakeOptions) {
    this.apiKey = options.apiKey ?? `SG.${randomBytes(16).toString("base64url")}.${randomBytes(32).toString("base64url")}`;
    this.scopes = options.scopes ?? ["mail.send", "user.webhooks.event.settings.read"];
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    this.publicKey = publicKey.export({ format: "der", type: "spki" }).toString("base64");
    this.privateKey = privateKey;
  }

  static async start(options: SendGridFakeOptions = {}): Promise<SendGridFake> {
    const fake = new SendGridFake(options);
    fake.http = await HttpFake.listen("sendgrid-mail-v3", (request) => fake.answer(request));
    return fake;
  }

  /** Base URL for SendGridProvider's `baseUrl`. */
  get url(): string {
    return this.http.url;
  }

  get requests(): RecordedRequest[] {
    return this.http.requests;
  }

  /** Answers the next request with this instead (429 + X-RateLimit-Reset, 500, 400...). */
  failNext(reply: SendGridReply): void {
    this.script.push(reply);
  }

  reset(): void {
    this.http.requests.length = 0;
    this.accepted.length = 0;
    this.script.length = 0;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private answer(request: Omit<RecordedRequest, "status">): Reply {
    if (request.headers.authorization !== `Bearer ${this.apiKey}`) return errorReply(401);
    const scripted = this.script.shift();
    if (scripted) return { status: scripted.status, headers: scripted.headers, body: scripted.body ?? errorBody(DEFAULT_ERRORS[scripted.status] ?? "error") };

    if (request.method === "GET" && request.path === "/v3/scopes") {
      // Not in the Mail Send spec; the shape is SendGrid's documented one.
      return { status: 200, body: { scopes: this.scopes } };
    }
    if (request.problems.length > 0) {
      return { status: 400, body: { errors: request.problems.map((problem) => ({ message: problem.message, field: problem.field, help: null })) } };
    }
    if (request.method === "POST" && request.path === "/v3/mail/send") {
      if (!this.scopes.includes("mail.send")) return errorReply(403);
      const xMessageId = randomBytes(16).toString("base64url");
      this.accepted.push({ xMessageId, mail: request.body as SendGridMailBody });
      return { status: 202, headers: { "X-Message-Id": xMessageId } };
    }
    return errorReply(404, "not found");
  }

  // -------------------------------------------------------------------------------------------
  // Event Webhook

  /**
   * One event as SendGrid posts it about an accepted mail: its custom_args as top-level
   * properties, sg_message_id = X-Message-Id + a filter suffix.
   */
  event(accepted: AcceptedMail, event: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const customArgs = { ...accepted.mail.custom_args, ...accepted.mail.personalizations[0]?.custom_args };
    return {
      email: accepted.mail.personalizations[0]?.to[0]?.email,
      timestamp: Math.floor(Date.now() / 1000),
      "smtp-id": `<${accepted.xMessageId}@geopod-ismtpd-1>`,
      event,
      category: [],
      sg_event_id: randomBytes(16).toString("base64url"),
      sg_message_id: `${accepted.xMessageId}.recvd-5f8d7c9b6-x2k4j-1-6650F2A3-7.0`,
      ...customArgs,
      ...extra,
    };
  }

  /** The signature SendGrid would put on this body at this timestamp. */
  signature(timestamp: string, rawBody: string): string {
    return sign("sha256", Buffer.from(timestamp + rawBody, "utf8"), this.privateKey).toString("base64");
  }

  /** A signed Event Webhook POST to `url`, as SendGrid sends it. */
  signedEventWebhook(url: string, events: Array<Record<string, unknown>>, options: { timestamp?: number; rawBody?: string } = {}): Request {
    const rawBody = options.rawBody ?? JSON.stringify(events);
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    return new Request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "SendGrid Event API",
        "x-twilio-email-event-webhook-signature": this.signature(timestamp, rawBody),
        "x-twilio-email-event-webhook-timestamp": timestamp,
        "x-request-id": randomUUID(),
      },
      body: rawBody,
    });
  }
}

function errorBody(message: string, field: string | null = null) {
  return { errors: [{ message, field, help: null }] };
}

function errorReply(status: number, message = DEFAULT_ERRORS[status] ?? "error"): Reply {
  return { status, body: errorBody(message) };
}
