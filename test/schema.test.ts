import fs from 'node:fs';
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { renderSchema, SCHEMA_FILE } from '../src/cli/emit-schema';

describe('committed schema', () => {
  it('matches the schema the code builds (run `npm run schema` when this fails)', async () => {
    const committed = fs.readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed).toBe(await renderSchema());
  });

  it('describes every type, field, argument and enum value', async () => {
    const schema = buildSchema(await renderSchema());
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      const isRoot = [
        schema.getQueryType(),
        schema.getMutationType(),
        schema.getSubscriptionType(),
      ].includes(type as never);
      if (!type.description && !isRoot) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) {
          if (!value.description) missing.push(`${type.name}.${value.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
