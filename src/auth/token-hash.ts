import { createHash } from 'node:crypto';

/**
 * The form in which bearer tokens are stored (`api_tokens.tokenHash`): SHA-256, lower-case hex.
 * Tokens are long random-looking strings, so an unsalted fast hash is enough; a leaked table
 * then holds nothing that can be replayed as a token.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
