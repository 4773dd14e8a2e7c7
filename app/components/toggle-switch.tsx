// An on/off switch (Polaris 13 has none): a real <button role="switch"> so keyboards, screen
// readers and tests see its state, drawn with Polaris colours.
import { InlineStack, Text } from "@shopify/polaris";

export function ToggleSwitch(props: { checked: boolean; onChange: (checked: boolean) => void; label: string; onText: string; offText: string; disabled?: boolean }) {
  const { checked, disabled } = props;
  return (
    <InlineStack gap="200" blockAlign="center" wrap={false}>
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-label={props.label}
        disabled={disabled}
        onClick={() => props.onChange(!checked)}
        style={{
          position: "relative",
          width: 36,
          height: 20,
          flex: "0 0 auto",
          borderRadius: 10,
          border: "none",
          padding: 0,
          cursor: disabled ? "default" : "pointer",
          background: checked ? "var(--p-color-bg-fill-success, #29845a)" : "var(--p-color-bg-fill-disabled, #c7c7c7)",
          opacity: disabled ? 0.6 : 1,
          transition: "background 120ms ease",
        }}
      >
        <span
          aria-hidden
          style={{
            position: "absolute",
            top: 2,
            left: checked ? 18 : 2,
            width: 16,
            height: 16,
            borderRadius: "50%",
            background: "#fff",
            boxShadow: "0 1px 2px rgba(0,0,0,.3)",
            transition: "left 120ms ease",
          }}
        />
      </button>
      <Text as="span" tone={checked ? "success" : "subdued"}>{checked ? props.onText : props.offText}</Text>
    </InlineStack>
  );
}
