import type { ProofCheck } from '../../entities/delivery-proof.entity';
import { SignatureOption } from '../../entities/enums';
import { signatureRequirementText } from '../../core/signature-text';

/** What the carrier reported about the signature on a delivery. */
export interface CapturedSignature {
  signerName: string;
  imageDataUrl: string;
  signedAt: Date;
  location: string;
  adultIdVerified?: boolean | null;
}

export interface ProofAssessment {
  checks: ProofCheck[];
  flagged: boolean;
  /** A signature was paid for and the carrier delivered without one. */
  signatureMissing: boolean;
}

/** Lower case, letters and digits only, single spaces: "  O'Neil,  Ana " → "oneil ana". */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, '')
    .replace(/-/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Same name, or at least the same last name ("J. Smith" signing for "Jane Smith"). */
export function signerMatches(signer: string, recipient: string): boolean {
  const a = normalizeName(signer);
  const b = normalizeName(recipient);
  if (!a || !b) return false;
  if (a === b) return true;
  const last = (s: string) => s.split(' ').pop();
  return last(a) === last(b);
}

/**
 * The automatic checks of a delivery proof. Only the checks that apply are listed: signature
 * present when one was bought, adult ID when adult signature was bought, signer name whenever
 * someone signed.
 */
export function assessDelivery(
  requirement: SignatureOption,
  signature: CapturedSignature | null,
  recipientName: string,
): ProofAssessment {
  const checks: ProofCheck[] = [];
  const bought = signatureRequirementText(requirement);
  if (requirement !== SignatureOption.NONE) {
    checks.push(
      signature
        ? {
            code: 'SIGNATURE_PRESENT',
            passed: true,
            message: `${bought} was bought and a signature was captured.`,
          }
        : {
            code: 'SIGNATURE_PRESENT',
            passed: false,
            message: `${bought} was bought but the carrier delivered without a signature.`,
          },
    );
  }
  if (requirement === SignatureOption.ADULT_SIGNATURE_REQUIRED) {
    const verified = signature?.adultIdVerified === true;
    checks.push({
      code: 'ADULT_ID_VERIFIED',
      passed: verified,
      message: verified
        ? 'The carrier checked ID showing the signer is 21 or older.'
        : 'Adult Signature Required (21+) was bought but no ID check showing 21+ was reported.',
    });
  }
  if (signature) {
    const matches = signerMatches(signature.signerName, recipientName);
    checks.push({
      code: 'SIGNER_NAME_MATCHES',
      passed: matches,
      message: matches
        ? `Signed by "${signature.signerName}", matching the recipient "${recipientName}".`
        : `Signed by "${signature.signerName}", which does not match the recipient "${recipientName}".`,
    });
  }
  return {
    checks,
    flagged: checks.some((c) => !c.passed),
    signatureMissing: requirement !== SignatureOption.NONE && !signature,
  };
}
