import { SignatureOption } from '../entities/enums';

/** What buyers and sellers read in tracking for each requirement. */
export function signatureRequirementText(option: SignatureOption): string | null {
  switch (option) {
    case SignatureOption.SIGNATURE_REQUIRED:
      return 'Signature Required';
    case SignatureOption.ADULT_SIGNATURE_REQUIRED:
      return 'Adult Signature Required (21+)';
    default:
      return null;
  }
}
