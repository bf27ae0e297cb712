import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CARRIER_CATALOG } from '../src/reference/carrier-catalog';

const read = (path: string) => readFileSync(join(__dirname, '..', path), 'utf8');

describe('carrier codes', () => {
  const codes = [
    ...new Set(
      CARRIER_CATALOG.flatMap((s) => s.options.map((o) => o.carrierCode)).filter(
        (c): c is string => c !== null,
      ),
    ),
  ];

  it('include USPS 981 on Priority Mail Express', () => {
    const express = CARRIER_CATALOG.find((s) => s.code === 'USPS_PRIORITY_MAIL_EXPRESS')!;
    expect(express.options.map((o) => o.carrierCode)).toContain('981');
  });

  it.each(['README.md', 'schema/schema.graphql'])('are each named in %s', (path) => {
    const text = read(path);
    for (const code of codes)
      expect({ code, named: text.includes(code) }).toEqual({ code, named: true });
  });
});
