/**
 * `npm run calibrate`: reads every label, the risk assessment its purchase recorded and the
 * decided not-received claims that followed, and prints per risk level and per rule how often a
 * claim followed with and without a signature, then weights fitted on 80% of the labels and
 * checked on the other 20% against the current ones. It only recommends: the live rules
 * (src/services/risk/rules.ts) change by a commit and a new RULESET_VERSION, never from here.
 */
import 'reflect-metadata';
import type { EntityManager } from 'typeorm';
import { databaseUrlFrom } from '../config/config';
import { createDataSource } from '../db/data-source';
import { calibrate, formatReport } from '../services/protection/calibration';
import { loadCalibrationRows } from '../services/protection/calibration-data';
import { RULESET_VERSION } from '../services/risk/engine';
import { WEIGHTS } from '../services/risk/rules';

/** The report for the data in `manager`'s database, as printed. */
export async function calibrationReport(manager: EntityManager): Promise<string> {
  const rows = await loadCalibrationRows(manager);
  return `Risk rules ${RULESET_VERSION}\n${formatReport(calibrate(rows, WEIGHTS))}`;
}

async function main(): Promise<void> {
  const dataSource = createDataSource({ url: databaseUrlFrom(), poolSize: 2 });
  await dataSource.initialize();
  try {
    process.stdout.write(`${await calibrationReport(dataSource.manager)}\n`);
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `calibrate failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
