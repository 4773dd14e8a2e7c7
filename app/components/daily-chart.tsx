// A stacked bar chart of daily counts, drawn as inline SVG (no chart library). Screen readers
// get the SVG as one image with a title and a written summary, and the same numbers as a
// visually hidden table; sighted mouse users get each day's figures as a tooltip.
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import { useId, type CSSProperties } from "react";
import { useI18n } from "./i18n-context";

export type ChartSeries = { id: string; label: string; color: string; values: number[] };

type Props = {
  /** What the chart shows, e.g. "Messages sent per day". */
  title: string;
  /** A sentence or two with what matters (totals, busiest day): the image's description. */
  summary: string;
  /** Calendar days, YYYY-MM-DD, oldest first. */
  days: string[];
  series: ChartSeries[];
  /** Heading of the table's day column. */
  dayHeader: string;
  /** Heading of the table's total column. */
  totalHeader: string;
  /** Said over an empty chart. */
  emptyText: string;
};

// The bars are drawn in a unit box stretched to the container (preserveAspectRatio="none"); the
// axis labels are HTML laid over it, so their size stays readable from a phone to a wide screen.
const PLOT_HEIGHT = 200;
const GUTTER_LEFT = 36;
const GUTTER_BOTTOM = 22;
const SLOT = 10;
const BAR = 6.8;

const visuallyHidden: CSSProperties = {
  position: "absolute", width: 1, height: 1, padding: 0, margin: -1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap", border: 0,
};

/** The smallest 1, 2 or 5 × 10^n at or above `value` (at least 4, so small counts get whole-number ticks). */
function niceCeiling(value: number): number {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/** A calendar day (already in the shop's zone) for display: formatted as the UTC date it names. */
export function useDayFormat(options: Intl.DateTimeFormatOptions = { month: "short", day: "numeric" }) {
  const { locale } = useI18n();
  const format = new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" });
  return (day: string) => format.format(new Date(`${day}T00:00:00Z`));
}

export function DailyChart({ title, summary, days, series, dayHeader, totalHeader, emptyText }: Props) {
  const { locale } = useI18n();
  const id = useId();
  const shortDay = useDayFormat();
  const longDay = useDayFormat({ weekday: "short", month: "short", day: "numeric" });
  const number = new Intl.NumberFormat(locale);
  const totals = days.map((_, index) => series.reduce((sum, line) => sum + (line.values[index] ?? 0), 0));
  const top = niceCeiling(Math.max(0, ...totals));
  const ticks = [0, top / 4, top / 2, (3 * top) / 4, top];
  const percentY = (value: number) => 100 - (value / top) * 100;
  // Day labels every 7 days counted back from the last, so today is always labelled.
  const labelled = (index: number) => (days.length - 1 - index) % 7 === 0;
  const empty = totals.every((total) => total === 0);
  const labelStyle: CSSProperties = { position: "absolute", fontSize: 12, lineHeight: "16px", color: "var(--p-color-text-secondary)", whiteSpace: "nowrap" };
  const width = Math.max(1, days.length) * SLOT;

  return (
    <BlockStack gap="300">
      <div style={{ position: "relative", height: PLOT_HEIGHT + GUTTER_BOTTOM, paddingLeft: GUTTER_LEFT }}>
        <div aria-hidden="true">
          {ticks.map((tick) => (
            <span key={tick} style={{ ...labelStyle, left: 0, width: GUTTER_LEFT - 8, textAlign: "right", top: `calc(${(percentY(tick) / 100) * PLOT_HEIGHT}px - 8px)` }}>
              {Number.isInteger(tick) ? number.format(tick) : ""}
            </span>
          ))}
          {days.map((day, index) =>
            labelled(index) ? (
              <span
                key={day}
                style={
                  index === days.length - 1
                    ? { ...labelStyle, top: PLOT_HEIGHT + 4, right: 0 } // today, flush with the right edge
                    : { ...labelStyle, top: PLOT_HEIGHT + 4, left: `calc(${GUTTER_LEFT}px + (100% - ${GUTTER_LEFT}px) * ${(index + 0.5) / days.length})`, transform: "translateX(-50%)" }
                }
              >
                {shortDay(day)}
              </span>
            ) : null,
          )}
          {empty && (
            <span style={{ ...labelStyle, fontSize: 13, left: GUTTER_LEFT, right: 0, top: PLOT_HEIGHT / 2 - 8, textAlign: "center" }}>{emptyText}</span>
          )}
        </div>
        <svg
          viewBox={`0 0 ${width} 100`}
          preserveAspectRatio="none"
          width="100%"
          height={PLOT_HEIGHT}
          role="img"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-desc`}
          style={{ display: "block", overflow: "visible" }}
        >
          <title id={`${id}-title`}>{title}</title>
          <desc id={`${id}-desc`}>{summary}</desc>
          {ticks.map((tick) => (
            <line
              key={tick}
              x1={0}
              x2={width}
              y1={percentY(tick)}
              y2={percentY(tick)}
              stroke={tick === 0 ? "#8A8A8A" : "#E3E3E3"}
              strokeWidth={1}
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {days.map((day, index) => {
            let base = 0;
            const tooltip = [longDay(day), ...series.map((line) => `${line.label}: ${number.format(line.values[index] ?? 0)}`)].join("\n");
            return (
              <g key={day}>
                <title>{tooltip}</title>
                {/* A full-height target so the tooltip shows over empty days too. */}
                <rect x={index * SLOT} y={0} width={SLOT} height={100} fill="transparent" />
                {series.map((line) => {
                  const value = line.values[index] ?? 0;
                  if (value === 0) return null;
                  const from = base;
                  base += value;
                  // A white hairline between stacked segments keeps neighbouring colours apart.
                  return (
                    <rect
                      key={line.id}
                      x={index * SLOT + (SLOT - BAR) / 2}
                      y={percentY(base)}
                      width={BAR}
                      height={percentY(from) - percentY(base)}
                      fill={line.color}
                      stroke="#FFFFFF"
                      strokeWidth={1}
                      vectorEffect="non-scaling-stroke"
                    />
                  );
                })}
              </g>
            );
          })}
        </svg>
        <div style={visuallyHidden}>
          <table>
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{dayHeader}</th>
                {series.map((line) => (
                  <th scope="col" key={line.id}>{line.label}</th>
                ))}
                <th scope="col">{totalHeader}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((day, index) => (
                <tr key={day}>
                  <th scope="row">{longDay(day)}</th>
                  {series.map((line) => (
                    <td key={line.id}>{number.format(line.values[index] ?? 0)}</td>
                  ))}
                  <td>{number.format(totals[index])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <InlineStack gap="400" wrap>
        {series.map((line) => (
          <InlineStack key={line.id} gap="150" blockAlign="center" wrap={false}>
            <span aria-hidden="true" style={{ width: 12, height: 12, borderRadius: 3, background: line.color, display: "inline-block" }} />
            <Text as="span" variant="bodySm">
              {line.label} · {number.format(line.values.reduce((sum, value) => sum + value, 0))}
            </Text>
          </InlineStack>
        ))}
      </InlineStack>
    </BlockStack>
  );
}
