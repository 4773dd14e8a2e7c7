import { BlockStack, Box, Text } from "@shopify/polaris";

/** A quiet "nothing here yet" with what to do about it. */
export function EmptyNote({ heading, children }: { heading: string; children?: string }) {
  return (
    <Box padding="600">
      <BlockStack gap="200" inlineAlign="center">
        <Text as="p" variant="headingSm">{heading}</Text>
        {children && <Text as="p" tone="subdued" alignment="center">{children}</Text>}
      </BlockStack>
    </Box>
  );
}
