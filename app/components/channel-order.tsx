// The channels of one automation step, in order of preference: tick the ones to use, move them
// up or down. Avisa tries the first; the next is used when the first can't be (no consent, no phone).
import { BlockStack, Button, Checkbox, InlineError, InlineStack, Text } from "@shopify/polaris";
import { useId } from "react";
import { useI18n } from "./i18n-context";

export type ChannelChoice = { channel: string; used: boolean };

export function ChannelOrder({ choices, onChange, label, error }: { choices: ChannelChoice[]; onChange: (next: ChannelChoice[]) => void; label: string; error?: string }) {
  const { t } = useI18n();
  const id = useId();
  const move = (index: number, by: -1 | 1) => {
    const next = [...choices];
    [next[index], next[index + by]] = [next[index + by], next[index]];
    onChange(next);
  };
  let position = 0;
  return (
    // A group named by its label; an error is announced with it (Polaris's field error look).
    <div role="group" aria-labelledby={`${id}-label`} aria-describedby={error ? `${id}Error` : undefined} aria-invalid={error ? true : undefined}>
      <BlockStack gap="100">
        <Text as="span" id={`${id}-label`}>{label}</Text>
        {choices.map((choice, index) => {
          const name = t(`channel.${choice.channel}` as "channel.email");
          const rank = choice.used ? ++position : null;
          return (
            <InlineStack key={choice.channel} gap="200" blockAlign="center" wrap={false}>
              <div style={{ minWidth: 20, textAlign: "right" }}>
                <Text as="span" tone="subdued">{rank ? `${rank}.` : ""}</Text>
              </div>
              <div style={{ minWidth: 120 }}>
                <Checkbox label={name} checked={choice.used} onChange={(used) => onChange(choices.map((c, i) => (i === index ? { ...c, used } : c)))} />
              </div>
              <Button size="slim" disabled={index === 0} onClick={() => move(index, -1)} accessibilityLabel={t("automations.moveUp", { channel: name })}>↑</Button>
              <Button size="slim" disabled={index === choices.length - 1} onClick={() => move(index, 1)} accessibilityLabel={t("automations.moveDown", { channel: name })}>↓</Button>
            </InlineStack>
          );
        })}
        {error && <InlineError message={error} fieldID={id} />}
      </BlockStack>
    </div>
  );
}
