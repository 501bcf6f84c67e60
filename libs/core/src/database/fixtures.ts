import 'reflect-metadata';

const SECRET = 'porch:secret';
const NATURAL_KEY = 'porch:natural-key';

/**
 * Marks a secret for `manage dumpdata`: on a property (a password hash), the column is left out
 * of dumps; on an entity (auth tokens), the whole table is. `--include-secrets` keeps them.
 */
export function Secret(): ClassDecorator & PropertyDecorator {
  return (target: object, property?: string | symbol) => {
    if (property === undefined) Reflect.defineMetadata(SECRET, true, target);
    else Reflect.defineMetadata(SECRET, true, target, property);
  };
}

/**
 * Names the unique properties that identify a row outside this database (Django's
 * `natural_key()`), e.g. `@NaturalKey('email')` on User: `dumpdata --natural` writes references
 * to it as `["ann@example.com"]` instead of its id, and `loaddata` resolves them back.
 */
export function NaturalKey(...properties: string[]): ClassDecorator {
  return (target) => Reflect.defineMetadata(NATURAL_KEY, properties, target);
}

/** An entity class, as MikroORM's metadata holds it. */
type EntityClass = { prototype: object };

export function isSecretEntity(entity: EntityClass): boolean {
  return Reflect.getMetadata(SECRET, entity) === true;
}

export function isSecretProperty(entity: EntityClass, property: string): boolean {
  return Reflect.getMetadata(SECRET, entity.prototype, property) === true;
}

export function naturalKeyOf(entity: EntityClass): string[] | undefined {
  return Reflect.getMetadata(NATURAL_KEY, entity) as string[] | undefined;
}
