/** Sandbox postage of one service: base + per started pound + per zone beyond zone 1 (USD cents). */
export interface SandboxRate {
  baseRateMinor: number;
  perPoundMinor: number;
  perZoneMinor: number;
}

/**
 * The sandbox's own price list, by service code. Prices are the carrier's to give: a real UPS or
 * USPS gateway asks the carrier's rating API, so the catalog and the gateway contract carry none.
 */
export const SANDBOX_RATE_CARD: Readonly<Record<string, SandboxRate>> = {
  USPS_GROUND_ADVANTAGE: { baseRateMinor: 450, perPoundMinor: 90, perZoneMinor: 35 },
  USPS_PRIORITY_MAIL: { baseRateMinor: 895, perPoundMinor: 140, perZoneMinor: 60 },
  USPS_PRIORITY_MAIL_EXPRESS: { baseRateMinor: 2850, perPoundMinor: 260, perZoneMinor: 150 },
  // Media Mail is priced by weight only, not by zone.
  USPS_MEDIA_MAIL: { baseRateMinor: 404, perPoundMinor: 75, perZoneMinor: 0 },
  // Priced by destination country group, which the domestic zone does not express.
  USPS_PRIORITY_MAIL_INTERNATIONAL: { baseRateMinor: 4500, perPoundMinor: 400, perZoneMinor: 0 },
  UPS_GROUND: { baseRateMinor: 1050, perPoundMinor: 110, perZoneMinor: 55 },
  UPS_GROUND_SAVER: { baseRateMinor: 890, perPoundMinor: 95, perZoneMinor: 40 },
  UPS_2ND_DAY_AIR: { baseRateMinor: 2150, perPoundMinor: 230, perZoneMinor: 120 },
  UPS_NEXT_DAY_AIR: { baseRateMinor: 4200, perPoundMinor: 380, perZoneMinor: 210 },
};
