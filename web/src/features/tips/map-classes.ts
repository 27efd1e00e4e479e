/** Classes of tip counts on the queue's county map, light to dark (styles: `.lantern-tip-fill--<key>`). */
export const TIP_MAP_CLASSES: readonly { key: string; from: number; to: number | null }[] = [
  { key: '0', from: 0, to: 0 },
  { key: '1', from: 1, to: 1 },
  { key: '2', from: 2, to: 4 },
  { key: '3', from: 5, to: 9 },
  { key: '4', from: 10, to: 24 },
  { key: '5', from: 25, to: null },
];

/** The class a county's count falls in. */
export function tipMapClass(count: number): string {
  for (let i = TIP_MAP_CLASSES.length - 1; i >= 0; i--) if (count >= TIP_MAP_CLASSES[i]!.from) return TIP_MAP_CLASSES[i]!.key;
  return '0';
}
