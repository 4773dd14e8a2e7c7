// The variables a message type may use, grouped by what they belong to. Clicking one inserts it
// where the cursor was in the last field edited (a list inserts a whole `for` loop).
import { BlockStack, Button, InlineStack, Text } from "@shopify/polaris";
import { useI18n } from "./i18n-context";

/** What clicking a variable inserts: `{{ path }}`, a loop over a list, or `{{ item.field }}` for a list's element. */
export function variableSnippet(path: string, all: readonly string[]): string {
  if (all.some((other) => other.startsWith(`${path}[]`))) {
    return `{% for item in ${path} %}\n  {{ item.title }} × {{ item.quantity }}\n{% endfor %}`;
  }
  const element = path.indexOf("[].");
  if (element >= 0) return `{{ item.${path.slice(element + 3)} }}`;
  return `{{ ${path} }}`;
}

export function VariablePicker({ variables, onInsert }: { variables: readonly string[]; onInsert: (snippet: string) => void }) {
  const { t } = useI18n();
  const groups = new Map<string, string[]>();
  for (const path of variables) {
    const root = path.split(/[.[]/)[0];
    groups.set(root, [...(groups.get(root) ?? []), path]);
  }
  return (
    <BlockStack gap="300">
      <Text as="p" tone="subdued">{t("templates.variables.help")}</Text>
      {[...groups].map(([root, paths]) => (
        <BlockStack gap="100" key={root}>
          <Text as="h3" variant="headingXs">{root}</Text>
          <InlineStack gap="100">
            {paths.map((path) => (
              <Button key={path} size="slim" onClick={() => onInsert(variableSnippet(path, variables))} accessibilityLabel={t("templates.variables.insert", { name: path })}>
                {path.startsWith(`${root}.`) ? path.slice(root.length + 1) : path}
              </Button>
            ))}
          </InlineStack>
        </BlockStack>
      ))}
    </BlockStack>
  );
}
