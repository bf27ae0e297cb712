import { calibrationReport } from '../src/cli/calibrate';
import { carrierEvent, postCarrierEvent } from './support/carrier';
import { buyLabel } from './support/labels';
import { pickHighValueOrder } from './support/protection';
import { acceptCurrentTerms } from './support/seller-flow';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('npm run calibrate', () => {
  it('prints the claim table of the seeded history, the same on every run', async () => {
    const report = await calibrationReport(server.db.manager);
    expect(report).toMatch(/^Risk rules \S+/);
    expect(report).toContain('Risk level');
    // The seeded claim history: unsigned labels, each claimed, bought before any assessment.
    expect(report).toMatch(/UNASSESSED\s+0\/0\s+-\s+(\d+)\/\1\s+100\.0%/);
    expect(report).toContain('the live rules are not changed');
    expect(await calibrationReport(server.db.manager)).toBe(report);
  });

  it('counts labels by the level their purchase was assessed at, signed and unsigned apart', async () => {
    const seller = server.tokens.seller[0];
    await acceptCurrentTerms(server, seller);
    const taken = new Set<string>();
    const unsigned = await buyLabel(server, seller, {
      orderId: (await pickHighValueOrder(server, seller, taken)).id,
    });
    await buyLabel(server, seller, {
      orderId: (await pickHighValueOrder(server, seller, taken)).id,
      signatureOption: 'SIGNATURE_REQUIRED',
    });
    const delivered = await postCarrierEvent(
      server,
      unsigned.label.carrier,
      carrierEvent(unsigned.label.trackingNumber, { status: 'DELIVERED' }),
    );
    expect(delivered.status).toBe(200);

    const report = await calibrationReport(server.db.manager);
    // One signed and one unsigned HIGH label, neither claimed yet.
    expect(report).toMatch(/\nHIGH\s+0\/1\s+0\.0%\s+0\/1\s+0\.0%/);
    expect(report).toMatch(/\nORDER_VALUE_HIGH\s+0\/1\s+0\.0%\s+0\/1\s+0\.0%/);
    expect(await calibrationReport(server.db.manager)).toBe(report);
  });
});
