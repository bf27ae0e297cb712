import * as entities from './all';

export * from './all';

/** The classes TypeORM maps (every runtime export of ./all is an entity class). */
export const ENTITIES = Object.values(entities);
