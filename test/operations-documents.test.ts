import path from 'node:path';
import { parse } from 'graphql';
import { operationText, operationsDir } from '../src/operations/documents';

const root = path.resolve(__dirname, '..');

describe('operationText', () => {
  it('returns the operation with the comment lines right above it', () => {
    const text = operationText('Viewer');
    expect(text.split('\n')[0]).toBe('# Who the token in the Headers tab below acts as.');
    expect(text).toMatch(/^query Viewer \{$/m);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('appends every fragment the operation spreads, nested ones included, once', () => {
    const text = operationText('PurchaseLabelFull');
    const names = parse(text).definitions.map((d) => ('name' in d ? d.name?.value : undefined));
    expect(names).toEqual([
      'PurchaseLabelFull',
      'LabelFields',
      'FlowShipment',
      'PurchaseErrorFields',
    ]);
    const nested = parse(operationText('ShipmentUpdated')).definitions.length;
    expect(nested).toBe(4); // the subscription, UpdateFields, TrackedShipment, TrackedEvent
  });

  it('throws for a name no file defines', () => {
    expect(() => operationText('NoSuchOperation')).toThrow(/no GraphQL operation named/);
  });

  it('finds operations/ at the repository root from src and from a build', () => {
    const expected = path.join(root, 'operations');
    expect(operationsDir()).toBe(expected);
    expect(operationsDir(path.join(root, 'dist', 'src', 'operations'))).toBe(expected);
    expect(operationsDir(path.join(root, 'dist', 'fault-1', 'src', 'operations'))).toBe(expected);
  });
});
