interface BarChartProps {
  rows: { key: string; label: string; value: number }[];
}

const ROW = 28;
const LABEL_W = 210;
const BAR_W = 300;

/**
 * A plain horizontal bar chart in SVG (no inline styles, no library). It repeats a table shown beside
 * it, so it is hidden from screen readers.
 */
export function BarChart({ rows }: BarChartProps) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const height = rows.length * ROW + 4;
  return (
    <svg className="lantern-bars" viewBox={`0 0 ${LABEL_W + BAR_W + 48} ${height}`} aria-hidden="true" focusable="false">
      {rows.map((r, i) => {
        const y = i * ROW + 4;
        const w = r.value === 0 ? 0 : Math.max(2, (r.value / max) * BAR_W);
        return (
          <g key={r.key}>
            <text x={LABEL_W - 8} y={y + 15} textAnchor="end" className="lantern-bars__label">
              {r.label}
            </text>
            <rect x={LABEL_W} y={y} width={w} height={ROW - 8} className="lantern-bars__bar" />
            <text x={LABEL_W + w + 6} y={y + 15} className="lantern-bars__value">
              {r.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
