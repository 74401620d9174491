/** The periods the sales API speaks of: "2026-11" and "2026-Q4". */
export function currentMonth(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

export function currentQuarter(now = new Date()): string {
  return `${now.getFullYear()}-Q${Math.floor(now.getMonth() / 3) + 1}`;
}

/** The months and quarters a report offers: this one and those before it, newest first. */
export function recentPeriods(kind: 'month' | 'quarter', count: number, now = new Date()): string[] {
  const step = kind === 'month' ? 1 : 3;
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(now.getFullYear(), now.getMonth() - index * step, 1);
    return kind === 'month' ? currentMonth(day) : currentQuarter(day);
  });
}
