import { LRUCache } from 'lru-cache';

/**
 * What was made of GraphQL texts (a parsed document, or a number for it), by text: bounded in
 * number and in the texts' total length, least recently used out. An AST with its tokens is many
 * times its text's size, and any client can send texts of its own.
 */
export function documentsByText<V extends object>(
  max = 500,
  maxCharacters = 500_000,
): LRUCache<string, V> {
  return new LRUCache<string, V>({
    max,
    maxSize: maxCharacters,
    sizeCalculation: (_value, text) => text.length,
  });
}
