import type { EntityManager } from 'typeorm';
import { Claim, Label, RiskAssessment, SignatureDecision } from '../../entities';
import { LabelStatus, SignatureOption } from '../../entities/enums';
import type { RiskReason } from '../../entities/risk-assessment.entity';
import type { CalibrationRow } from './calibration';

interface RawRow {
  labelId: number | string;
  signatureOption: SignatureOption;
  level: string | null;
  reasons: string | null;
  claimId: number | string | null;
  closedAt: unknown;
}

/**
 * Every live label with the risk assessment its purchase recorded (the recommendation the seller
 * saw) and its claims, in one statement. A label with an open claim is left out (not decided
 * yet); one with a closed claim counts as claimed. Labels still inside their claim window count
 * as unclaimed.
 */
export async function loadCalibrationRows(manager: EntityManager): Promise<CalibrationRow[]> {
  const raw = await manager
    .createQueryBuilder(Label, 'l')
    .leftJoin(SignatureDecision, 'd', '"d"."labelId" = "l"."id"')
    .leftJoin(RiskAssessment, 'ra', '"ra"."id" = "d"."riskAssessmentId"')
    .leftJoin(Claim, 'c', '"c"."labelId" = "l"."id"')
    .select('"l"."id"', 'labelId')
    .addSelect('"l"."signatureOption"', 'signatureOption')
    .addSelect('"ra"."level"', 'level')
    .addSelect('"ra"."reasons"', 'reasons')
    .addSelect('"c"."id"', 'claimId')
    .addSelect('"c"."closedAt"', 'closedAt')
    .where('"l"."status" = :purchased', { purchased: LabelStatus.PURCHASED })
    .orderBy('"l"."id"', 'ASC')
    .addOrderBy('"c"."id"', 'ASC')
    .getRawMany<RawRow>();
  const rows = new Map<number, CalibrationRow & { open: boolean }>();
  for (const r of raw) {
    const labelId = Number(r.labelId);
    const row = rows.get(labelId) ?? {
      labelId,
      level: r.level,
      reasons: r.reasons
        ? (JSON.parse(r.reasons) as RiskReason[]).map(({ code, weight }) => ({ code, weight }))
        : [],
      signed: r.signatureOption !== SignatureOption.NONE,
      claimed: false,
      open: false,
    };
    if (r.claimId !== null) {
      if (r.closedAt === null) row.open = true;
      else row.claimed = true;
    }
    rows.set(labelId, row);
  }
  return [...rows.values()].filter((r) => !r.open).map(({ open: _open, ...row }) => row);
}
