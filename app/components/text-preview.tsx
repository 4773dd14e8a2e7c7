// An SMS or WhatsApp message as a phone shows it, with what it costs: encoding, segments and
// characters for SMS (one character outside GSM-7 halves a segment), characters for WhatsApp.
import { Badge, BlockStack, Box, InlineStack, Text } from "@shopify/polaris";
import { useI18n } from "./i18n-context";

export type TextLength = { characters: number; encoding?: "GSM-7" | "UCS-2"; segments?: number; nonGsmCharacters?: string[]; limit: number };

export function TextPreview({ channel, text, length }: { channel: "sms" | "whatsapp"; text: string; length: TextLength | null }) {
  const { t } = useI18n();
  return (
    <BlockStack gap="300">
      <Box background="bg-surface-secondary" padding="400" borderRadius="300">
        <div style={{ maxWidth: 375, margin: "0 auto" }}>
          <div
            data-testid="text-preview"
            style={{
              whiteSpace: "pre-wrap",
              overflowWrap: "anywhere",
              background: channel === "whatsapp" ? "#dcf8c6" : "#e9e9eb",
              color: "#1c1c1e",
              borderRadius: 18,
              padding: "10px 14px",
              fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, sans-serif",
              fontSize: 15,
              lineHeight: 1.35,
            }}
          >
            {text}
          </div>
        </div>
      </Box>
      {length && channel === "sms" && (
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Badge tone={length.encoding === "GSM-7" ? "success" : "attention"}>{length.encoding ?? ""}</Badge>
            <Text as="span" fontWeight="semibold">
              <span data-testid="sms-count">{t("templates.sms.count", { segments: length.segments ?? 0, characters: length.characters })}</span>
            </Text>
            {(length.segments ?? 0) > length.limit && <Badge tone="critical">{t("templates.sms.overLimit", { limit: length.limit })}</Badge>}
          </InlineStack>
          {length.encoding === "UCS-2" && (
            <Text as="p" tone="subdued">{t("templates.sms.ucs2", { characters: (length.nonGsmCharacters ?? []).map((c) => (c === "\u00a0" ? "⍽" : c)).join(" ") })}</Text>
          )}
        </BlockStack>
      )}
      {length && channel === "whatsapp" && (
        <Text as="p" tone={length.characters > length.limit ? "critical" : "subdued"}>
          {t("templates.whatsapp.count", { characters: length.characters, limit: length.limit })}
        </Text>
      )}
    </BlockStack>
  );
}
