import { ReferenceKind, type EntityProperty } from '@mikro-orm/core';
import { BaseProperty, type PropertyType } from 'adminjs';

/** How a column is read and written by the panel, from its PostgreSQL type. */
export type ColumnKind =
  | 'reference'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'integer'
  | 'number'
  | 'json'
  | 'bytes'
  | 'enum'
  | 'text';

const INTEGER = new Set(['smallint', 'integer', 'int', 'int2', 'int4', 'int8', 'bigint', 'serial']);
const NUMBER = new Set(['numeric', 'decimal', 'real', 'double precision', 'float4', 'float8']);

export function isReference(prop: EntityProperty): boolean {
  return prop.kind === ReferenceKind.MANY_TO_ONE || prop.kind === ReferenceKind.ONE_TO_ONE;
}

/** The column's kind; one place, so reading, writing, filtering and the audit log agree. */
export function columnKind(prop: EntityProperty): ColumnKind {
  if (isReference(prop)) return 'reference';
  if (prop.enum) return 'enum';
  const column = (prop.columnTypes?.[0] ?? String(prop.type)).toLowerCase().replace(/\(.*$/, '');
  if (column === 'date') return 'date';
  if (column.startsWith('timestamp') || prop.runtimeType === 'Date') return 'datetime';
  if (column === 'boolean' || column === 'bool') return 'boolean';
  if (INTEGER.has(column)) return 'integer';
  if (NUMBER.has(column)) return 'number';
  if (column.startsWith('json')) return 'json';
  if (column === 'bytea' || column === 'blob') return 'bytes';
  return 'text';
}

/**
 * A column as the panel sees it. Unlike @adminjs/mikroorm 4.1's Property: `date` is a date (4.1
 * read it as a datetime, so a birthdate showed a time), JSON is edited as JSON text, `text` in a
 * text area, and relations are sortable (by the related record's title, see PorchResource).
 */
export class PorchProperty extends BaseProperty {
  readonly kind: ColumnKind;

  constructor(
    readonly prop: EntityProperty,
    position: number,
  ) {
    super({ path: prop.name, isId: !!prop.primary, position });
    this.kind = columnKind(prop);
  }

  override type(): PropertyType {
    switch (this.kind) {
      case 'reference':
        return 'reference';
      case 'date':
        return 'date';
      case 'datetime':
        return 'datetime';
      case 'boolean':
        return 'boolean';
      case 'integer':
      case 'number':
        return 'number';
      case 'json':
        return 'textarea';
      case 'text':
        return (this.prop.columnTypes?.[0] ?? '').toLowerCase() === 'text' ? 'textarea' : 'string';
      default:
        return 'string';
    }
  }

  override isSortable(): boolean {
    return this.kind !== 'json' && this.kind !== 'bytes';
  }

  override isEditable(): boolean {
    return !this.prop.primary && !['createdAt', 'updatedAt'].includes(this.prop.name);
  }

  override isRequired(): boolean {
    return (
      this.prop.nullable !== true && this.kind !== 'boolean' && this.prop.default === undefined
    );
  }

  override isTitle(): boolean {
    return false;
  }

  override reference(): string | null {
    return this.kind === 'reference' ? (this.prop.targetMeta?.className ?? this.prop.type) : null;
  }

  override availableValues(): string[] | null {
    return this.kind === 'enum' && this.prop.items ? this.prop.items.map(String) : null;
  }
}
