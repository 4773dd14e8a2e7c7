// One place that builds a Twilio REST client for a shop's own credentials, pointed at Twilio
// or (in tests and local development) at another host, and that turns every Twilio failure
// into a ProviderError the dispatcher understands (retry or give up, and when).
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import type TwilioResponse from "twilio/lib/http/response";
import { ProviderError } from "../../../domain/errors";
import { checkRefused, type CredentialCheckResult } from "../credential-check.server";

export const DEFAULT_TWILIO_BASE_URL = "https://api.twilio.com";

export type TwilioCredentials = {
  accountSid: string;
  authToken: string;
  /** Where the REST API lives; tests point this at the fake Twilio. */
  baseUrl?: string;
  timeoutMs?: number;
  /** For Retry-After given as an HTTP date. */
  now?: () => Date;
};

export type TwilioClient = twilio.Twilio;

type TwilioHttpResponse = { statusCode: number; body: unknown; headers?: Record<string, unknown> };

/**
 * The SDK's HTTP client, except that any answer of 400 or more becomes a ProviderError here,
 * where the status and headers (Retry-After) are still known. The SDK's own exception keeps
 * only the body.
 */
class ProviderErrorRequestClient extends twilio.RequestClient {
  constructor(
    private readonly now: () => Date,
    timeoutMs?: number,
  ) {
    super({ timeout: timeoutMs, autoRetry: false });
  }

  override async request<TData>(options: RequestClient.RequestOptions<TData>): Promise<TwilioResponse<TData>> {
    let response: TwilioResponse<TData>;
    try {
      response = await super.request(options);
    } catch (error) {
      throw transportError(error);
    }
    if (response.statusCode >= 400) throw twilioError(response, this.now());
    return response;
  }
}

export function createTwilioClient(credentials: TwilioCredentials): TwilioClient {
  if (!/^AC[0-9a-fA-F]{32}$/.test(credentials.accountSid)) {
    throw new ProviderError("The Twilio Account SID should be AC followed by 32 hexadecimal characters (Twilio Console → Account Info).", false);
  }
  const client = twilio(credentials.accountSid, credentials.authToken, {
    httpClient: new ProviderErrorRequestClient(credentials.now ?? (() => new Date()), credentials.timeoutMs),
  });
  // Messages and Accounts both live on the `api` domain (api.twilio.com/2010-04-01/...).
  client.api.baseUrl = (credentials.baseUrl ?? DEFAULT_TWILIO_BASE_URL).replace(/\/+$/, "");
  return client;
}

type TwilioErrorBody = { code?: number; message?: string; more_info?: string; status?: number };

// What a merchant should do about the Twilio errors Avisa meets most often.
const ERROR_ADVICE: Record<number, string> = {
  20003: "Twilio refused the Account SID / Auth Token. Check them in Twilio Console → Account Info and save them again in Avisa's settings.",
  21211: "The phone number is not a valid mobile number.",
  21408: "Your Twilio account is not allowed to send to this country. Enable it in Twilio Console → Messaging → Geo permissions.",
  21606: "The From number cannot send messages. Choose an SMS-capable Twilio number or a Messaging Service.",
  21610: "The shopper replied STOP to this sender. Twilio blocks messages until they reply START.",
  21614: "The number is not a mobile number that can receive messages.",
  63007: "The WhatsApp sender is not set up on this Twilio account. Check the sender in Twilio Console → Messaging → Senders.",
  63016: "Outside the 24-hour WhatsApp window, only approved templates can be sent. Use a WhatsApp template for this message.",
};

/** Twilio codes that never succeed on retry, whatever the HTTP status says. */
const PERMANENT_CODES = new Set([21610, 63016]);

export function twilioError(response: TwilioHttpResponse, now: Date): ProviderError {
  const body = parseBody(response.body);
  const status = response.statusCode;
  const code = typeof body.code === "number" ? body.code : undefined;
  const vendorCode = code === undefined ? undefined : String(code);
  const said = body.message ? `Twilio said: ${body.message}${code ? ` (error ${code})` : ""}` : `Twilio answered HTTP ${status}`;
  const advice = code !== undefined ? ERROR_ADVICE[code] : undefined;
  const message = advice ? `${advice} ${said}.` : `${said}.`;

  if (code !== undefined && PERMANENT_CODES.has(code)) return new ProviderError(message, false, undefined, vendorCode);
  if (status === 429) {
    return new ProviderError(`Twilio is rate-limiting this account; the message will be retried. ${said}.`, true, retryAfterMs(response.headers, now), vendorCode);
  }
  if (status >= 500) return new ProviderError(`Twilio had a temporary problem; the message will be retried. ${said}.`, true, undefined, vendorCode);
  return new ProviderError(message, false, undefined, vendorCode);
}

function parseBody(body: unknown): TwilioErrorBody {
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as TwilioErrorBody;
    } catch {
      return {};
    }
  }
  return (body ?? {}) as TwilioErrorBody;
}

/** Retry-After is either seconds or an HTTP date. */
function retryAfterMs(headers: Record<string, unknown> | undefined, now: Date): number | undefined {
  const value = headers?.["retry-after"] ?? headers?.["Retry-After"];
  if (value === undefined || value === null || value === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(String(value));
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

// Failures that prove the request never reached Twilio, so sending again cannot duplicate it.
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function transportError(error: unknown): ProviderError {
  const code = (error as { code?: string }).code;
  if (code && NOT_CONNECTED.has(code)) {
    return new ProviderError(`Could not reach Twilio (${code}); the message will be retried.`, true);
  }
  // A timeout or a dropped connection after the request left: Twilio may have sent the
  // message, so it is not sent again automatically.
  return new ProviderError(
    `No answer from Twilio (${code ?? (error as Error).message}). The message may have been sent, so it is not retried automatically.`,
    false,
    undefined,
    undefined,
    true,
  );
}

/** A real, cheap call with the shop's credentials: fetch its own account. */
export async function checkTwilioAccount(client: () => TwilioClient, accountSid: string): Promise<CredentialCheckResult> {
  // The same rule createTwilioClient enforces, checked first so the refusal has its own code.
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) {
    return checkRefused("twilio_bad_account_sid", "The Twilio Account SID should be AC followed by 32 hexadecimal characters (Twilio Console → Account Info).");
  }
  try {
    const account = await client().api.v2010.accounts(accountSid).fetch();
    if (account.status !== "active") {
      return checkRefused("twilio_account_inactive", `The Twilio account is ${account.status}. Reactivate it in Twilio Console before sending messages.`, { status: account.status });
    }
    return { ok: true };
  } catch (error) {
    if (!(error instanceof ProviderError)) {
      const reason = `Could not check the Twilio credentials: ${(error as Error).message}`;
      return checkRefused("twilio_check_failed", reason, { detail: (error as Error).message });
    }
    if (error.vendorCode === "20003" || error.vendorCode === "20404") return checkRefused("twilio_credentials_refused", ERROR_ADVICE[20003]);
    // No answer, a rate limit or Twilio's own trouble: worth checking again later.
    if (error.outcomeUnknown || error.retriable) return checkRefused("twilio_unavailable", error.message);
    return checkRefused("twilio_check_failed", error.message, { detail: error.message });
  }
}
