/** Formats integer minor units as a decimal string without going through floats. */
export function formatMinor(minor: number, fractionDigits = 2): string {
  const negative = minor < 0;
  const digits = Math.abs(Math.trunc(minor))
    .toString()
    .padStart(fractionDigits + 1, '0');
  const whole = digits.slice(0, digits.length - fractionDigits);
  const fraction = digits.slice(digits.length - fractionDigits);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Parses a decimal string ("12.34", "750", "0.5") into minor units; null when malformed. */
export function parseMinor(amount: string, fractionDigits = 2): number | null {
  const match = /^(-)?(\d{1,12})(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!match) return null;
  const fraction = (match[3] ?? '').padEnd(fractionDigits, '0');
  const value = Number(match[2]) * 10 ** fractionDigits + Number(fraction);
  return match[1] ? -value : value;
}

/** An amount as clients read it: a decimal string in the currency's major unit, never a float. */
export interface Money {
  amount: string;
  currencyCode: string;
}

export const money = (minor: number, currencyCode: string): Money => ({
  amount: formatMinor(minor),
  currencyCode,
});
