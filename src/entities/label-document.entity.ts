import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { ValueTransformer } from 'typeorm';
import { TIMESTAMP } from './columns';
import { LabelDocumentFormat } from './enums';

/**
 * SQLite has BLOB and PostgreSQL BYTEA, and no binary column type is valid for both in one
 * entity, so the bytes are stored as base64 text: the same column and migration on both, at a
 * third more space for documents of tens of kilobytes.
 */
const base64: ValueTransformer = {
  to: (value: Buffer | null | undefined) => (value ? value.toString('base64') : value),
  from: (value: string | null) => (value === null ? null : Buffer.from(value, 'base64')),
};

/**
 * A printable document of a label, as the carrier returned it with the label, written in the
 * purchase's transaction. Served only through a signed link (label-documents.service.ts).
 */
@Entity('label_documents')
@Unique(['labelId', 'format'])
export class LabelDocument {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  labelId!: number;

  @Column({ type: 'varchar', length: 8 })
  format!: LabelDocumentFormat;

  @Column({ type: 'varchar', length: 60 })
  contentType!: string;

  @Column({ type: 'text', transformer: base64 })
  bytes!: Buffer;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;
}
