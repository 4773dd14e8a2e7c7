// A compiled email as the shopper sees it, in a sandboxed iframe (no scripts; same origin only so
// the frame can be sized to its content) at desktop (600 px) or mobile (375 px) width.
import { BlockStack, Box, Button, ButtonGroup, InlineStack, Text } from "@shopify/polaris";
import { useCallback, useEffect, useRef, useState } from "react";
import { useI18n } from "./i18n-context";

export const PREVIEW_WIDTHS = { desktop: 600, mobile: 375 } as const;

export function EmailPreview({ subject, html }: { subject: string; html: string }) {
  const { t } = useI18n();
  const [size, setSize] = useState<keyof typeof PREVIEW_WIDTHS>("desktop");
  const [height, setHeight] = useState(640);
  const frame = useRef<HTMLIFrameElement>(null);

  const measure = useCallback(() => {
    const document = frame.current?.contentDocument;
    if (document?.documentElement) setHeight(Math.max(240, Math.ceil(document.documentElement.scrollHeight)));
  }, []);
  useEffect(() => {
    const timer = setTimeout(measure, 60);
    return () => clearTimeout(timer);
  }, [size, html, measure]);

  return (
    <BlockStack gap="300">
      <InlineStack align="space-between" blockAlign="center" gap="300">
        <Text as="p">
          <Text as="span" tone="subdued">{t("templates.preview.subject")}: </Text>
          <Text as="span" fontWeight="semibold"><span data-testid="preview-subject">{subject}</span></Text>
        </Text>
        <ButtonGroup variant="segmented">
          <Button pressed={size === "desktop"} onClick={() => setSize("desktop")}>{t("templates.preview.desktop")}</Button>
          <Button pressed={size === "mobile"} onClick={() => setSize("mobile")}>{t("templates.preview.mobile")}</Button>
        </ButtonGroup>
      </InlineStack>
      <Box background="bg-surface-secondary" padding="400" borderRadius="300">
        <div style={{ display: "flex", justifyContent: "center" }}>
          <iframe
            ref={frame}
            title={t("templates.preview.frameTitle", { width: PREVIEW_WIDTHS[size] })}
            data-testid="email-preview"
            data-width={PREVIEW_WIDTHS[size]}
            sandbox="allow-same-origin"
            srcDoc={html}
            onLoad={measure}
            style={{ width: PREVIEW_WIDTHS[size], maxWidth: "100%", height, border: "1px solid #e3e3e3", borderRadius: 8, background: "#fff" }}
          />
        </div>
      </Box>
    </BlockStack>
  );
}
