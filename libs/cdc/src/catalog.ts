import type { ColumnInfo } from './debezium-types.js';
import type { Query } from './sql.js';

export interface TableRef {
  oid: number;
  schema: string;
  name: string;
  /** pg_class.relreplident: d default, f full, i index, n nothing. */
  replicaIdentity: string;
}

export interface TableInfo extends TableRef {
  /** Every column pgoutput sends (generated and dropped ones excluded), in table order. */
  columns: ColumnInfo[];
  /** The primary key's columns in key order (Debezium's message key); empty without one. */
  primaryKey: string[];
}

interface ColumnRow {
  name: string;
  type_name: string;
  type_type: string;
  type_category: string;
  typmod: number;
  not_null: boolean;
  default_expr: string | null;
  enum_labels: string[] | null;
}

/** What PostgreSQL's catalog says about the tables the worker may capture. */
export class Catalog {
  constructor(private readonly query: Query) {}

  /** Ordinary and partitioned tables outside the system schemas. */
  async tables(): Promise<TableRef[]> {
    const { rows } = await this.query<TableRef>(
      `select c.oid::int as oid, n.nspname as schema, c.relname as name,
              c.relreplident as "replicaIdentity"
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and not c.relispartition
          and n.nspname not in ('pg_catalog', 'information_schema')
          and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
        order by n.nspname, c.relname`,
    );
    return rows;
  }

  async describe(table: TableRef): Promise<TableInfo> {
    const { rows } = await this.query<ColumnRow>(
      `select a.attname as name,
              case when t.typtype = 'd' then bt.typname else t.typname end as type_name,
              case when t.typtype = 'd' then bt.typtype else t.typtype end as type_type,
              case when t.typtype = 'd' then bt.typcategory else t.typcategory end as type_category,
              case when t.typtype = 'd' then t.typtypmod else a.atttypmod end as typmod,
              (a.attnotnull or (t.typtype = 'd' and t.typnotnull)) as not_null,
              pg_get_expr(d.adbin, d.adrelid) as default_expr,
              (select array_agg(e.enumlabel::text order by e.enumsortorder) from pg_enum e
                where e.enumtypid = case when t.typtype = 'd' then t.typbasetype else t.oid end) as enum_labels
         from pg_attribute a
         join pg_type t on t.oid = a.atttypid
         left join pg_type bt on bt.oid = t.typbasetype
         left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
        order by a.attnum`,
      [table.oid],
    );
    const key = await this.query<{ name: string }>(
      `select a.attname as name
         from pg_index i
         cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
        where i.indrelid = $1 and i.indisprimary
        order by k.ord`,
      [table.oid],
    );
    return {
      ...table,
      columns: rows.map((r) => ({
        name: r.name,
        typeName: r.type_name,
        typeType: r.type_type,
        typeCategory: r.type_category,
        typmod: r.typmod,
        notNull: r.not_null,
        defaultExpr: r.default_expr,
        enumLabels: r.enum_labels,
      })),
      primaryKey: key.rows.map((r) => r.name),
    };
  }

  async describeOid(oid: number): Promise<TableInfo | null> {
    const { rows } = await this.query<TableRef>(
      `select c.oid::int as oid, n.nspname as schema, c.relname as name,
              c.relreplident as "replicaIdentity"
         from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = $1`,
      [oid],
    );
    return rows[0] ? this.describe(rows[0]) : null;
  }
}
