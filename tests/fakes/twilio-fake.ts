// A local Twilio that speaks its 2010-04-01 REST API: Create Message answers 201 with a Message
// resource (SM… sid, status queued/accepted), HTTP basic auth is checked (401 with error 20003),
// and a request that breaks Twilio's own OpenAPI spec (or the rules it leaves out) gets 400
// with `{ code, message, more_info, status }`. Fetch Account answers for the credentials.
// It also builds the signed posts Twilio sends to an app (status callbacks, inbound messages),
// computing X-Twilio-Signature itself rather than through the SDK, so tests are not circular.
import { createHmac, randomBytes } from "node:crypto";
import { HttpFake, twilioErrorCodeFor, type RecordedRequest, type Reply } from "./openapi-check";

export type TwilioReply = {
  status: number;
  /** Twilio error code, e.g. 21610, 63016, 20429. */
  code?: number;
  message?: string;
  headers?: Record<string, string>;
  body?: unknown;
};

export type TwilioFakeOptions = {
  accountSid?: string;
  authToken?: string;
  accountStatus?: "active" | "suspended" | "closed";
};

export type TwilioMessageResource = {
  sid: string;
  account_sid: string;
  to: string;
  from: string | null;
  body: string;
  status: string;
  messaging_service_sid: string | null;
  num_media: string;
  [key: string]: unknown;
};

// Twilio's own wording for the errors tests script most.
const ERROR_MESSAGES: Record<number, string> = {
  20003: "Authenticate",
  20404: "The requested resource was not found",
  20429: "Too Many Requests",
  20500: "An internal server error has occurred",
  21211: "The 'To' number is not a valid phone number.",
  21610: "Attempt to send to unsubscribed recipient",
  63016:
    "Failed to send freeform message because you are outside the allowed window. If you are using WhatsApp, please use a Message Template.",
};

const DEFAULT_CODES: Record<number, number> = { 401: 20003, 404: 20404, 429: 20429, 500: 20500, 503: 20500 };

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const rfc2822 = (date: Date) => date.toUTCString().replace("GMT", "+0000");

export class TwilioFake {
  readonly accountSid: string;
  readonly authToken: string;
  accountStatus: "active" | "suspended" | "closed";
  /** Messages answered with 201, in order. */
  readonly messages: TwilioMessageResource[] = [];
  private readonly script: TwilioReply[] = [];
  private http!: HttpFake;

  private constructor(options: TwilioFakeOptions) {
    this.accountSid = options.accountSid ?? `AC${hex(16)}`;
    this.authToken = options.authToken ?? hex(16);
    this.accountStatus = options.accountStatus ?? "active";
  }

  static async start(options: TwilioFakeOptions = {}): Promise<TwilioFake> {
    const fake = new TwilioFake(options);
    fake.http = await HttpFake.listen("twilio-api-v2010", (request) => fake.answer(request));
    return fake;
  }

  /** Base URL for the Twilio providers' `baseUrl`. */
  get url(): string {
    return this.http.url;
  }

  get requests(): RecordedRequest[] {
    return this.http.requests;
  }

  /** Answers the next request with this instead (e.g. 429 + Retry-After, 500, 400 + 21610). */
  failNext(reply: TwilioReply): void {
    this.script.push(reply);
  }

  reset(): void {
    this.http.requests.length = 0;
    this.messages.length = 0;
    this.script.length = 0;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private answer(request: Omit<RecordedRequest, "status">): Reply {
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString("base64")}`;
    if (request.headers.authorization !== expected) return twilioError(401, 20003);
    const scripted = this.script.shift();
    if (scripted) {
      const code = scripted.code ?? DEFAULT_CODES[scripted.status];
      return { status: scripted.status, headers: scripted.headers, body: scripted.body ?? twilioErrorBody(scripted.status, code, scripted.message) };
    }
    if (!request.operationId) return twilioError(404, 20404);
    const account = request.pathParams.AccountSid ?? request.pathParams.Sid;
    if (account !== this.accountSid) return twilioError(404, 20404);
    if (request.problems.length > 0) {
      const [first] = request.problems;
      return twilioError(400, twilioErrorCodeFor(first), request.problems.map((problem) => problem.message).join(" "));
    }
    if (request.operationId === "CreateMessage") return { status: 201, body: this.createMessage(request.body as Record<string, unknown>) };
    if (request.operationId === "FetchAccount") return { status: 200, body: this.accountResource() };
    return twilioError(404, 20404);
  }

  private createMessage(fields: Record<string, unknown>): TwilioMessageResource {
    const sid = `SM${hex(16)}`;
    const now = rfc2822(new Date());
    const mediaUrls = (fields.MediaUrl as string[] | undefined) ?? [];
    const message: TwilioMessageResource = {
      account_sid: this.accountSid,
      api_version: "2010-04-01",
      body: typeof fields.Body === "string" ? fields.Body : "",
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: typeof fields.From === "string" ? fields.From : null,
      messaging_service_sid: typeof fields.MessagingServiceSid === "string" ? fields.MessagingServiceSid : null,
      num_media: String(mediaUrls.length),
      num_segments: "1",
      price: null,
      price_unit: "USD",
      sid,
      // A Messaging Service without a From first picks a sender: Twilio says `accepted`.
      status: fields.MessagingServiceSid && !fields.From ? "accepted" : "queued",
      subresource_uris: { media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}/Media.json` },
      to: String(fields.To),
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
    };
    this.messages.push(message);
    return message;
  }

  private accountResource() {
    const created = rfc2822(new Date("2024-01-15T10:00:00Z"));
    return {
      auth_token: this.authToken,
      date_created: created,
      date_updated: created,
      friendly_name: "Avisa test account",
      owner_account_sid: this.accountSid,
      sid: this.accountSid,
      status: this.accountStatus,
      subresource_uris: {},
      type: "Full",
      uri: `/2010-04-01/Accounts/${this.accountSid}.json`,
    };
  }

  // -------------------------------------------------------------------------------------------
  // What Twilio posts to the app

  /** A form POST to `url` signed with the fake's auth token (or another, for negative tests). */
  signedPost(url: string, params: Record<string, string>, options: { authToken?: string; signature?: string } = {}): Request {
    return new Request(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "user-agent": "TwilioProxy/1.1",
        "x-twilio-signature": options.signature ?? twilioSignature(options.authToken ?? this.authToken, url, params),
        "i-twilio-idempotency-token": randomBytes(16).toString("hex"),
      },
      body: new URLSearchParams(params).toString(),
    });
  }

  /** The parameters of a status callback for a message this fake created. */
  statusCallbackParams(message: TwilioMessageResource, status: string, errorCode?: number): Record<string, string> {
    const whatsapp = message.to.startsWith("whatsapp:");
    return {
      AccountSid: this.accountSid,
      ApiVersion: "2010-04-01",
      ...(whatsapp ? { ChannelPrefix: "whatsapp", ChannelToAddress: message.to.replace("whatsapp:", "") } : {}),
      ...(errorCode ? { ErrorCode: String(errorCode) } : {}),
      From: message.from ?? "+15005550006",
      MessageSid: message.sid,
      MessageStatus: status,
      ...(message.messaging_service_sid ? { MessagingServiceSid: message.messaging_service_sid } : {}),
      SmsSid: message.sid,
      SmsStatus: status,
      To: message.to,
    };
  }

  /** The parameters of an inbound message (a shopper's SMS reply or WhatsApp message). */
  inboundParams(options: { from: string; to: string; body: string; channel?: "sms" | "whatsapp"; profileName?: string; mediaUrls?: string[] }): Record<string, string> {
    const prefix = options.channel === "whatsapp" ? "whatsapp:" : "";
    const sid = `SM${hex(16)}`;
    const media = options.mediaUrls ?? [];
    return {
      AccountSid: this.accountSid,
      ApiVersion: "2010-04-01",
      Body: options.body,
      From: `${prefix}${options.from}`,
      FromCountry: "BR",
      MessageSid: sid,
      MessageType: "text",
      NumMedia: String(media.length),
      ...Object.fromEntries(media.map((url, index) => [`MediaUrl${index}`, url])),
      NumSegments: "1",
      ...(options.profileName ? { ProfileName: options.profileName } : {}),
      SmsMessageSid: sid,
      SmsSid: sid,
      SmsStatus: "received",
      To: `${prefix}${options.to}`,
      ...(options.channel === "whatsapp" ? { WaId: options.from.replace("+", "") } : {}),
    };
  }
}

/**
 * X-Twilio-Signature as Twilio computes it: base64(HMAC-SHA1(auth token, the full URL followed
 * by every POST parameter name and value, names sorted)).
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + params[name], url);
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

function twilioErrorBody(status: number, code: number | undefined, message?: string) {
  return {
    code: code ?? null,
    message: message ?? (code ? ERROR_MESSAGES[code] : undefined) ?? `HTTP ${status}`,
    more_info: code ? `https://www.twilio.com/docs/errors/${code}` : null,
    status,
  };
}

function twilioError(status: number, code: number, message?: string): Reply {
  return { status, body: twilioErrorBody(status, code, message) };
}
