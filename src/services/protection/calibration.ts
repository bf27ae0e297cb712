/**
 * Calibration of the risk weights from claim outcomes: pure, deterministic arithmetic for
 * `npm run calibrate`. It recommends; nothing here changes the live rules.
 *
 * Signed labels produce fewer claims whatever their risk (a signature is what the recommendation
 * bought), so comparing claim rates across levels alone would reward the rules for the very
 * signatures they caused. Both models therefore carry "signed" as a feature of its own, and the
 * proposed weights are checked on a held-out part of the data they were not fitted on.
 */

/** One label with the risk assessment that preceded it and whether a claim followed. */
export interface CalibrationRow {
  labelId: number;
  /** The assessment's level; null when no assessment preceded the label. */
  level: string | null;
  /** The assessment's reasons with the weights they had then. */
  reasons: ReadonlyArray<{ code: string; weight: number }>;
  signed: boolean;
  /** A decided not-received claim followed. */
  claimed: boolean;
}

export interface Cell {
  labels: number;
  claims: number;
}

export interface SplitCells {
  signed: Cell;
  unsigned: Cell;
}

/** Share of the data the weights are fitted on; the rest checks them. */
export const TRAINING_PERCENT = 80;

/** FNV-1a over the label id: the same label always lands in the same part. */
export function inTraining(labelId: number): boolean {
  let hash = 0x811c9dc5;
  for (const ch of `label:${labelId}`) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100 < TRAINING_PERCENT;
}

const emptyCells = (): SplitCells => ({
  signed: { labels: 0, claims: 0 },
  unsigned: { labels: 0, claims: 0 },
});

function add(cells: SplitCells, row: CalibrationRow): void {
  const cell = row.signed ? cells.signed : cells.unsigned;
  cell.labels += 1;
  if (row.claimed) cell.claims += 1;
}

/** Claim counts per risk level and per reason code, signed and unsigned apart; keys sorted. */
export function claimTable(rows: readonly CalibrationRow[]): {
  byLevel: Array<[string, SplitCells]>;
  byReason: Array<[string, SplitCells]>;
} {
  const byLevel = new Map<string, SplitCells>();
  const byReason = new Map<string, SplitCells>();
  for (const row of rows) {
    const level = row.level ?? 'UNASSESSED';
    if (!byLevel.has(level)) byLevel.set(level, emptyCells());
    add(byLevel.get(level)!, row);
    for (const { code } of row.reasons) {
      if (!byReason.has(code)) byReason.set(code, emptyCells());
      add(byReason.get(code)!, row);
    }
  }
  const sorted = (m: Map<string, SplitCells>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  return { byLevel: sorted(byLevel), byReason: sorted(byReason) };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Probability of each row under a logistic model with these coefficients. */
export function predict(coefficients: readonly number[], x: readonly number[][]): number[] {
  return x.map((row) => sigmoid(row.reduce((sum, v, j) => sum + v * coefficients[j], 0)));
}

/**
 * Logistic regression by full-batch gradient descent from zero, with a small L2 penalty (not on
 * the intercept) so that a reason seen only with claims does not run off to infinity. A fixed
 * number of steps keeps it deterministic.
 */
export function fitLogistic(
  x: readonly number[][],
  y: readonly number[],
  options: { iterations?: number; rate?: number; l2?: number } = {},
): number[] {
  const { iterations = 3000, rate = 0.5, l2 = 0.01 } = options;
  const width = x[0]?.length ?? 0;
  const w = new Array<number>(width).fill(0);
  const n = x.length;
  if (n === 0) return w;
  for (let step = 0; step < iterations; step += 1) {
    const p = predict(w, x);
    const gradient = new Array<number>(width).fill(0);
    for (let i = 0; i < n; i += 1) {
      const error = p[i] - y[i];
      for (let j = 0; j < width; j += 1) gradient[j] += (error * x[i][j]) / n;
    }
    for (let j = 0; j < width; j += 1) {
      w[j] -= rate * (gradient[j] + (j === 0 ? 0 : l2 * w[j]));
    }
  }
  return w;
}

const EPSILON = 1e-6;

/** Mean negative log-likelihood; lower is better. */
export function logLoss(p: readonly number[], y: readonly number[]): number {
  if (p.length === 0) return NaN;
  const clamp = (v: number) => Math.min(1 - EPSILON, Math.max(EPSILON, v));
  return (
    -p.reduce((s, v, i) => s + (y[i] ? Math.log(clamp(v)) : Math.log(1 - clamp(v))), 0) / p.length
  );
}

/** Mean squared error of the probabilities; lower is better. */
export function brierScore(p: readonly number[], y: readonly number[]): number {
  if (p.length === 0) return NaN;
  return p.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / p.length;
}

export interface ModelScore {
  logLoss: number;
  brier: number;
}

export interface ProposedWeight {
  code: string;
  current: number;
  /** Fitted coefficient in logits. */
  coefficient: number;
  /** The coefficient on the current score scale (points); null when that scale is undefined. */
  proposed: number | null;
}

export interface CalibrationReport {
  rows: number;
  /** Rows with an assessment, split for fitting and checking. */
  training: number;
  holdout: number;
  table: ReturnType<typeof claimTable>;
  /** Null when the data cannot support a fit (too few rows, or only one outcome). */
  fit: null | {
    /** Logit change for a signature, in the proposed model. */
    signedEffect: number;
    weights: ProposedWeight[];
    current: ModelScore;
    proposed: ModelScore;
    /** Predicting the training claim rate for everyone: the floor both should beat. */
    baseline: ModelScore;
  };
  /** Why there is no fit. */
  why: string | null;
}

/** Rows needed on each side of the split before a fit is worth reporting. */
export const MIN_FIT_ROWS = 10;

const scoreOf = (row: CalibrationRow, weights: Readonly<Record<string, number>>) =>
  Math.min(
    100,
    row.reasons.reduce((s, r) => s + (weights[r.code] ?? r.weight), 0),
  );

/**
 * The whole calibration: the claim table over every row, then — on rows with an assessment —
 * the current weights (their score, Platt-scaled on the training part) against weights fitted
 * per reason code on the training part, both scored on the held-out part.
 */
export function calibrate(
  rows: readonly CalibrationRow[],
  currentWeights: Readonly<Record<string, number>>,
): CalibrationReport {
  const table = claimTable(rows);
  const assessed = [...rows].filter((r) => r.level !== null).sort((a, b) => a.labelId - b.labelId);
  const train = assessed.filter((r) => inTraining(r.labelId));
  const test = assessed.filter((r) => !inTraining(r.labelId));
  const base = { rows: rows.length, training: train.length, holdout: test.length, table };
  const claimsIn = (part: CalibrationRow[]) => part.filter((r) => r.claimed).length;
  const why =
    train.length < MIN_FIT_ROWS || test.length < MIN_FIT_ROWS
      ? `too few assessed labels to fit and check (${train.length} training, ${test.length} held out; ${MIN_FIT_ROWS} each needed)`
      : claimsIn(train) === 0 || claimsIn(train) === train.length
        ? 'the training part has only one outcome (all claimed or none)'
        : null;
  if (why) return { ...base, fit: null, why };

  const codes = Object.keys(currentWeights).sort();
  const y = (part: CalibrationRow[]) => part.map((r) => (r.claimed ? 1 : 0));
  const signed = (r: CalibrationRow) => (r.signed ? 1 : 0);
  const currentX = (part: CalibrationRow[]) =>
    part.map((r) => [1, scoreOf(r, currentWeights) / 100, signed(r)]);
  const proposedX = (part: CalibrationRow[]) =>
    part.map((r) => [
      1,
      ...codes.map((code) => (r.reasons.some((x) => x.code === code) ? 1 : 0)),
      signed(r),
    ]);

  const current = fitLogistic(currentX(train), y(train));
  const proposed = fitLogistic(proposedX(train), y(train));
  // Logits per point of the current score: the scale the proposed weights are written in.
  const perPoint = current[1] / 100;
  const weights = codes.map((code, k) => {
    const coefficient = proposed[k + 1];
    return {
      code,
      current: currentWeights[code],
      coefficient,
      proposed:
        perPoint > 1e-4 ? Math.max(0, Math.min(100, Math.round(coefficient / perPoint))) : null,
    };
  });
  const rate = claimsIn(train) / train.length;
  const score = (p: number[]): ModelScore => ({
    logLoss: logLoss(p, y(test)),
    brier: brierScore(p, y(test)),
  });
  return {
    ...base,
    fit: {
      signedEffect: proposed[proposed.length - 1],
      weights,
      current: score(predict(current, currentX(test))),
      proposed: score(predict(proposed, proposedX(test))),
      baseline: score(test.map(() => rate)),
    },
    why: null,
  };
}

const pct = (c: Cell) =>
  c.labels === 0 ? '    -' : `${((100 * c.claims) / c.labels).toFixed(1)}%`;
const cell = (c: Cell) =>
  `${String(c.claims).padStart(4)}/${String(c.labels).padEnd(4)} ${pct(c).padStart(6)}`;

/** The report as the CLI prints it. */
export function formatReport(report: CalibrationReport): string {
  const lines: string[] = [];
  const head = (title: string) =>
    lines.push(
      '',
      `${title.padEnd(34)} ${'signed: claims/labels'.padEnd(22)} unsigned: claims/labels`,
    );
  lines.push(
    `Calibration from ${report.rows} labels and the decided not-received claims that followed ` +
      `(${report.training} assessed labels to fit, ${report.holdout} held out).`,
    'Recommendations only: the live rules are not changed.',
  );
  head('Risk level');
  for (const [level, c] of report.table.byLevel)
    lines.push(`${level.padEnd(34)} ${cell(c.signed).padEnd(22)} ${cell(c.unsigned)}`);
  head('Rule (reason code)');
  for (const [code, c] of report.table.byReason)
    lines.push(`${code.padEnd(34)} ${cell(c.signed).padEnd(22)} ${cell(c.unsigned)}`);
  lines.push('');
  if (!report.fit) {
    lines.push(`No weights proposed: ${report.why}.`);
    return lines.join('\n');
  }
  const { fit } = report;
  lines.push(
    `${'Rule (reason code)'.padEnd(34)} ${'current'.padStart(7)} ${'proposed'.padStart(8)} ${'logit'.padStart(7)}`,
  );
  for (const w of fit.weights)
    lines.push(
      `${w.code.padEnd(34)} ${String(w.current).padStart(7)} ${String(w.proposed ?? 'n/a').padStart(8)} ${w.coefficient.toFixed(2).padStart(7)}`,
    );
  lines.push(
    `Signature effect (logit, both models control for it): ${fit.signedEffect.toFixed(2)}`,
    '',
    `Held-out check (${report.holdout} labels)   log-loss   Brier`,
    `  current weights                  ${fit.current.logLoss.toFixed(4)}   ${fit.current.brier.toFixed(4)}`,
    `  proposed weights                 ${fit.proposed.logLoss.toFixed(4)}   ${fit.proposed.brier.toFixed(4)}`,
    `  base rate only                   ${fit.baseline.logLoss.toFixed(4)}   ${fit.baseline.brier.toFixed(4)}`,
  );
  return lines.join('\n');
}
