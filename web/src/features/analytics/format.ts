/** Shares the API gives as 0–1 fractions, shown as whole percents; none when there is nothing to divide. */
export function percentText(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`;
}

export function percentValue(share: number | null | undefined): number | null {
  return share === null || share === undefined ? null : Math.round(share * 1000) / 10;
}

export function amount(value: string | null | undefined): number | null {
  return value === null || value === undefined || value === '' ? null : Number(value);
}
