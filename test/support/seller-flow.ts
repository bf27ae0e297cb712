import { AcceptSignatureTermsDocument, SignatureTermsDocument } from '../generated/operations';
import type { TestServer } from './test-server';

/** Accepts the current signature terms as the seller, so signature options can be bought. */
export async function acceptCurrentTerms(server: TestServer, token: string): Promise<void> {
  const terms = await server.gql(SignatureTermsDocument, {}, token);
  const version = terms.data?.signatureTerms?.version;
  if (!version) throw new Error(`no current signature terms: ${JSON.stringify(terms)}`);
  const accepted = await server.gql(AcceptSignatureTermsDocument, { input: { version } }, token);
  const errors = accepted.data?.acceptSignatureTerms.userErrors ?? accepted.errors;
  if (errors?.length) throw new Error(`accepting terms failed: ${JSON.stringify(errors)}`);
}
