// What a provider's checkCredentials() answers when it cannot send: a stable code the admin
// words in the merchant's language (Settings > Providers > Check credentials), its params
// (the vendor's own words verbatim in `detail`, where they help), and `reason`, the same in
// English for logs and tests.
import type { Channel } from "../../domain/ports";

export const CREDENTIAL_CHECK_CODES = [
  // Nothing to check with (shop-providers.server.ts).
  "credentials_unreadable",
  "sendgrid_key_missing",
  "sender_email_missing",
  "twilio_account_missing", // params.channel
  "sms_sender_missing",
  "whatsapp_sender_missing",
  // SendGrid answered (sendgrid-provider.server.ts).
  "sendgrid_no_mail_send",
  "sendgrid_key_refused",
  "sendgrid_unavailable",
  "sendgrid_check_failed", // params.detail: what SendGrid said
  // Twilio answered (twilio-client.server.ts).
  "twilio_bad_account_sid",
  "twilio_account_inactive", // params.status: Twilio's account status (suspended, closed)
  "twilio_credentials_refused",
  "twilio_unavailable",
  "twilio_check_failed", // params.detail: what Twilio said
  // The check itself failed (settings.server.ts), or a provider gave no code.
  "check_failed", // params.detail
] as const;
export type CredentialCheckCode = (typeof CREDENTIAL_CHECK_CODES)[number];

export type CredentialCheckParams = { channel?: Channel; status?: string; detail?: string };

export type CredentialCheckResult = { ok: true } | { ok: false; code: CredentialCheckCode; params?: CredentialCheckParams; reason: string };

/** A refusal, with its English reason for logs. */
export function checkRefused(code: CredentialCheckCode, reason: string, params?: CredentialCheckParams): CredentialCheckResult {
  return { ok: false, code, ...(params ? { params } : {}), reason };
}

/** ChannelProvider.checkCredentials() promises only a reason: this tells whether a code came with it. */
export function isCodedRefusal(result: { ok: boolean }): result is Extract<CredentialCheckResult, { ok: false }> {
  const code = (result as { code?: unknown }).code;
  return !result.ok && typeof code === "string" && (CREDENTIAL_CHECK_CODES as readonly string[]).includes(code);
}
