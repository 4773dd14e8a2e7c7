// Email through SendGrid's v3 Mail Send API with the shop's own API key. Each provider has its
// own MailService and Client (not the SDK's shared singleton), so shops never share a key.
// The external id is SendGrid's X-Message-Id; delivery news arrives on the Event Webhook, which
// finds the message again through the custom_args set here.
import { Client } from "@sendgrid/client";
import { MailService, type MailDataRequired } from "@sendgrid/mail";
import { ProviderError } from "../../../domain/errors";
import type { ChannelProvider, Clock, OutgoingMessage } from "../../../domain/ports";
import { checkRefused, type CredentialCheckResult } from "../credential-check.server";

export const DEFAULT_SENDGRID_BASE_URL = "https://api.sendgrid.com";

/** OutgoingMessage.metadata key whose value becomes the one-click List-Unsubscribe URL. */
export const UNSUBSCRIBE_URL_METADATA_KEY = "unsubscribeUrl";

export type SendGridOptions = {
  apiKey: string;
  /** A verified sender (Single Sender or an authenticated domain) in the shop's SendGrid account. */
  fromEmail: string;
  fromName?: string;
  replyTo?: string;
  /** Where the API lives; tests point this at the fake SendGrid. */
  baseUrl?: string;
  timeoutMs?: number;
  /** For turning X-RateLimit-Reset (epoch seconds) into a wait. */
  clock?: Clock;
};

type SendGridErrorBody = { errors?: Array<{ message?: string; field?: string | null; help?: unknown }> };
// What the SDK rejects with: a ResponseError (code = HTTP status, response = headers + body),
// an axios network error (code = ECONNREFUSED...), or a plain Error from building the mail.
type HttpFailure = { code?: number | string; message?: string; response?: { headers?: Record<string, unknown>; body?: unknown } };

export class SendGridProvider implements ChannelProvider {
  readonly id = "sendgrid";
  readonly channel = "email" as const;
  private readonly client: Client;
  private readonly mail: MailService;
  private readonly clock: Clock;

  constructor(private readonly options: SendGridOptions) {
    this.clock = options.clock ?? { now: () => new Date() };
    this.client = new Client();
    this.client.setApiKey(options.apiKey);
    // After setApiKey, which resets the base URL to SendGrid's own.
    this.client.setDefaultRequest("baseUrl", (options.baseUrl ?? DEFAULT_SENDGRID_BASE_URL).replace(/\/+$/, ""));
    this.mail = new MailService();
    this.mail.setClient(this.client);
    if (options.timeoutMs) this.mail.setTimeout(options.timeoutMs);
  }

  async send(message: OutgoingMessage): Promise<{ externalId: string }> {
    if (message.channel !== "email") throw new ProviderError(`${this.id} cannot send a ${message.channel} message`, false);
    if (!message.subject) throw new ProviderError("An email needs a subject.", false);
    let response;
    try {
      [response] = await this.mail.send(this.mailFor(message));
    } catch (error) {
      throw this.providerError(error);
    }
    const externalId = headerValue(response.headers as Record<string, unknown>, "x-message-id");
    if (!externalId) throw new ProviderError("SendGrid accepted the email but returned no X-Message-Id.", false);
    return { externalId };
  }

  /** A real, cheap call: the key's scopes. It must be able to send mail. */
  async checkCredentials(): Promise<CredentialCheckResult> {
    try {
      const [, body] = await this.client.request({ method: "GET", url: "/v3/scopes" });
      const scopes = (body as { scopes?: string[] } | undefined)?.scopes ?? [];
      if (!scopes.includes("mail.send")) {
        return checkRefused("sendgrid_no_mail_send", "This SendGrid API key cannot send email. Create a key with Mail Send access in SendGrid → Settings → API Keys.");
      }
      return { ok: true };
    } catch (error) {
      const failure = error as HttpFailure;
      const status = typeof failure.code === "number" ? failure.code : Number.NaN;
      if (status === 401 || status === 403) {
        return checkRefused("sendgrid_key_refused", "SendGrid refused the API key. Check that it was copied whole and has not been deleted (SendGrid → Settings → API Keys).");
      }
      const reason = `Could not check the SendGrid API key: ${this.providerError(error).message}`;
      // No answer, a rate limit or SendGrid's own trouble: worth checking again later.
      if (Number.isNaN(status) || status === 429 || status >= 500) return checkRefused("sendgrid_unavailable", reason);
      const said = sendGridReasons(failure.response?.body);
      return checkRefused("sendgrid_check_failed", reason, { detail: said.length ? said.join("; ") : `HTTP ${status}` });
    }
  }

  private mailFor(message: OutgoingMessage): MailDataRequired {
    const { [UNSUBSCRIBE_URL_METADATA_KEY]: unsubscribeUrl, ...customArgs } = message.metadata ?? {};
    const headers: Record<string, string> = { ...message.headers };
    if (unsubscribeUrl) {
      // RFC 8058 one-click unsubscribe, which Gmail and Yahoo require of bulk senders.
      headers["List-Unsubscribe"] = `<${unsubscribeUrl}>`;
      headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
    }
    return {
      to: message.to,
      from: this.options.fromName ? { email: this.options.fromEmail, name: this.options.fromName } : this.options.fromEmail,
      ...((message.replyTo ?? this.options.replyTo) ? { replyTo: message.replyTo ?? this.options.replyTo } : {}),
      subject: message.subject!,
      // The SDK sends text/plain first and text/html second, as SendGrid requires.
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
      // SendGrid takes only string values, and echoes them on every Event Webhook event.
      customArgs: { shopId: message.shopId, ...stringsOnly(customArgs) },
      ...(Object.keys(headers).length ? { headers } : {}),
    };
  }

  private providerError(error: unknown): ProviderError {
    const failure = error as HttpFailure;
    if (typeof failure.code !== "number") {
      const isNetworkFailure = typeof failure.code === "string" || (error as { isAxiosError?: boolean }).isAxiosError;
      return isNetworkFailure ? transportError(failure) : new ProviderError(`The email could not be prepared for SendGrid: ${failure.message}`, false);
    }
    const status = failure.code;
    const reasons = sendGridReasons(failure.response?.body);
    const said = reasons.length ? `SendGrid said: ${reasons.join("; ")}` : `SendGrid answered HTTP ${status}`;
    if (status === 429) {
      return new ProviderError(`SendGrid is rate-limiting this account; the email will be retried. ${said}.`, true, this.rateLimitWait(failure.response?.headers), String(status));
    }
    if (status >= 500) return new ProviderError(`SendGrid had a temporary problem; the email will be retried. ${said}.`, true, undefined, String(status));
    if (status === 401 || status === 403) {
      return new ProviderError(`SendGrid refused the API key or its permissions (HTTP ${status}). Check the key in Avisa's settings. ${said}.`, false, undefined, String(status));
    }
    return new ProviderError(`${said}.`, false, undefined, String(status));
  }

  /** X-RateLimit-Reset is the epoch second when the limit resets. */
  private rateLimitWait(headers: Record<string, unknown> | undefined): number | undefined {
    const reset = Number(headerValue(headers, "x-ratelimit-reset"));
    if (!Number.isFinite(reset) || reset <= 0) return undefined;
    return Math.max(0, reset * 1000 - this.clock.now().getTime());
  }
}

/** SendGrid's own words from an error body, each with the field it is about. */
function sendGridReasons(body: unknown): string[] {
  return ((body as SendGridErrorBody | undefined)?.errors ?? [])
    .map((entry) => (entry.field && entry.field !== "null" ? `${entry.field}: ${entry.message}` : entry.message))
    .filter((reason): reason is string => !!reason);
}

function stringsOnly(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== null).map(([key, value]) => [key, String(value)]));
}

function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const value = headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return value === undefined || value === null ? undefined : String(value);
}

// Failures that prove the request never reached SendGrid, so sending again cannot duplicate it.
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function transportError(failure: HttpFailure): ProviderError {
  const code = typeof failure.code === "string" ? failure.code : undefined;
  if (code && NOT_CONNECTED.has(code)) return new ProviderError(`Could not reach SendGrid (${code}); the email will be retried.`, true);
  // A timeout or a dropped connection after the request left: SendGrid may have sent the email.
  return new ProviderError(
    `No answer from SendGrid (${code ?? failure.message}). The email may have been sent, so it is not retried automatically.`,
    false,
    undefined,
    undefined,
    true,
  );
}
