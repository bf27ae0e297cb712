import {
  TRAINING_PERCENT,
  brierScore,
  calibrate,
  claimTable,
  fitLogistic,
  formatReport,
  inTraining,
  logLoss,
  predict,
} from '../src/services/protection/calibration';
import type { CalibrationRow } from '../src/services/protection/calibration';

const WEIGHTS = { ORDER_VALUE_HIGH: 50, SHARED_SHIP_TO: 15, PLATFORM_HOLD: 20 };

/** A fixed pseudo-random number in [0, 1) for an id (xorshift-multiply mix). */
function uniform(id: number): number {
  let h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/**
 * A synthetic history where PLATFORM_HOLD, weighted 20 today, is what really predicts claims,
 * ORDER_VALUE_HIGH (50) hardly does, and a signature halves the claims: the deterministic
 * "truth" a calibration should recover.
 */
function history(n = 600): CalibrationRow[] {
  const rows: CalibrationRow[] = [];
  for (let id = 1; id <= n; id += 1) {
    const high = id % 3 === 0;
    const hold = id % 7 === 0;
    const shared = id % 5 === 0;
    const signed = id % 2 === 0;
    const reasons = [
      ...(high ? [{ code: 'ORDER_VALUE_HIGH', weight: 50 }] : []),
      ...(hold ? [{ code: 'PLATFORM_HOLD', weight: 20 }] : []),
      ...(shared ? [{ code: 'SHARED_SHIP_TO', weight: 15 }] : []),
    ];
    // Claims per 10 labels: 1 base, +5 on hold, +1 high value; halved when signed.
    const per10 = (1 + (hold ? 5 : 0) + (high ? 1 : 0)) / (signed ? 2 : 1);
    const claimed = uniform(id) < per10 / 10;
    const score = reasons.reduce((s, r) => s + r.weight, 0);
    const level = score >= 40 ? 'HIGH' : score > 0 ? 'ELEVATED' : 'LOW';
    rows.push({ labelId: id, level, reasons, signed, claimed });
  }
  return rows;
}

describe('the split', () => {
  it('puts a label always on the same side, and about 80% in training', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => i + 1);
    expect(ids.map(inTraining)).toEqual(ids.map(inTraining));
    const share = ids.filter(inTraining).length / ids.length;
    expect(share).toBeGreaterThan(TRAINING_PERCENT / 100 - 0.04);
    expect(share).toBeLessThan(TRAINING_PERCENT / 100 + 0.04);
  });
});

describe('the claim table', () => {
  it('counts labels and claims per level and per reason, signed and unsigned apart', () => {
    const rows: CalibrationRow[] = [
      {
        labelId: 1,
        level: 'HIGH',
        reasons: [{ code: 'A', weight: 50 }],
        signed: true,
        claimed: false,
      },
      {
        labelId: 2,
        level: 'HIGH',
        reasons: [{ code: 'A', weight: 50 }],
        signed: false,
        claimed: true,
      },
      { labelId: 3, level: null, reasons: [], signed: false, claimed: true },
    ];
    expect(claimTable(rows)).toEqual({
      byLevel: [
        ['HIGH', { signed: { labels: 1, claims: 0 }, unsigned: { labels: 1, claims: 1 } }],
        ['UNASSESSED', { signed: { labels: 0, claims: 0 }, unsigned: { labels: 1, claims: 1 } }],
      ],
      byReason: [['A', { signed: { labels: 1, claims: 0 }, unsigned: { labels: 1, claims: 1 } }]],
    });
  });
});

describe('the metrics', () => {
  it('score a perfect forecast near 0 and a coin toss at ln 2 and 0.25', () => {
    expect(logLoss([1, 0], [1, 0])).toBeLessThan(1e-5);
    expect(brierScore([1, 0], [1, 0])).toBe(0);
    expect(logLoss([0.5, 0.5], [1, 0])).toBeCloseTo(Math.LN2);
    expect(brierScore([0.5, 0.5], [1, 0])).toBeCloseTo(0.25);
  });

  it('fits a logistic model that ranks the positive feature higher', () => {
    const x = [
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 1],
      [1, 1],
      [1, 1],
    ];
    const y = [0, 0, 1, 1, 1, 0];
    const w = fitLogistic(x, y);
    const [without, withIt] = predict(w, [
      [1, 0],
      [1, 1],
    ]);
    expect(withIt).toBeGreaterThan(without);
    expect(without).toBeCloseTo(1 / 3, 1);
  });
});

describe('calibrate', () => {
  const report = calibrate(history(), WEIGHTS);

  it('proposes more weight for the rule that predicts claims, and checks it on held-out labels', () => {
    const fit = report.fit!;
    expect(fit).not.toBeNull();
    expect(report.training + report.holdout).toBe(600);
    const weight = (code: string) => fit.weights.find((w) => w.code === code)!;
    expect(weight('PLATFORM_HOLD').proposed!).toBeGreaterThan(weight('ORDER_VALUE_HIGH').proposed!);
    expect(weight('PLATFORM_HOLD').current).toBe(20);
    // A signature lowers the claim odds, and the model keeps it apart from the rules.
    expect(fit.signedEffect).toBeLessThan(0);
    // Fitted per rule, it forecasts the held-out labels better than today's weights do.
    expect(fit.proposed.logLoss).toBeLessThan(fit.current.logLoss);
    expect(fit.proposed.brier).toBeLessThan(fit.baseline.brier);
  });

  it('is deterministic', () => {
    const again = calibrate(history(), WEIGHTS);
    expect(again).toEqual(report);
    expect(formatReport(again)).toBe(formatReport(report));
  });

  it('prints the table and the held-out check', () => {
    const text = formatReport(report);
    expect(text).toContain('Risk level');
    expect(text).toMatch(/PLATFORM_HOLD\s+\d+\/\d+/);
    expect(text).toContain('proposed weights');
    expect(text).toContain('the live rules are not changed');
  });

  it('proposes nothing when there is too little assessed data, and says why', () => {
    const thin = calibrate(history(12), WEIGHTS);
    expect(thin.fit).toBeNull();
    expect(formatReport(thin)).toContain('No weights proposed: too few assessed labels');
  });
});
