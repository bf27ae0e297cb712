import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataSource } from '../src/db/data-source';
import { MIGRATIONS } from '../src/db/migrations';

describe('dropping the sandbox price columns from carrier_services', () => {
  it('keeps every service and its signature options on a SQLite database that has them', async () => {
    const url = `sqlite:${path.join(os.tmpdir(), `countersign-mig-${process.pid}.sqlite`)}`;
    const first = createDataSource({ url });
    (first.options as { migrations: unknown[] }).migrations = [MIGRATIONS[0]];
    await first.initialize();
    await first.runMigrations();
    await first.query(
      `INSERT INTO carrier_services (carrier, code, name, international, "baseRateMinor", "perPoundMinor", "perZoneMinor", "transitDays", "sortOrder")
       VALUES ('USPS', 'USPS_GROUND_ADVANTAGE', 'USPS Ground Advantage', 0, 450, 90, 35, 5, 10)`,
    );
    await first.query(
      `INSERT INTO service_signature_options ("serviceId", option, supported, "carrierCode", "feeMinor")
       VALUES (1, 'NONE', 1, NULL, 0), (1, 'SIGNATURE_REQUIRED', 1, '921', 480)`,
    );
    await first.destroy();

    const migrated = createDataSource({ url });
    await migrated.initialize();
    try {
      await migrated.runMigrations();
      const services = await migrated.query('SELECT * FROM carrier_services');
      expect(services).toEqual([expect.objectContaining({ code: 'USPS_GROUND_ADVANTAGE' })]);
      expect(Object.keys(services[0])).not.toContain('baseRateMinor');
      const options = await migrated.query('SELECT option FROM service_signature_options');
      expect(options).toHaveLength(2);
    } finally {
      await migrated.destroy();
      fs.rmSync(url.slice('sqlite:'.length), { force: true });
    }
  });
});
