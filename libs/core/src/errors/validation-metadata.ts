import { getMetadataStorage } from 'class-validator';

/** class-validator's rule record (its type is not exported from the package root). */
type ValidationMetadata = Parameters<
  ReturnType<typeof getMetadataStorage>['addValidationMetadata']
>[0];

type Lookup = (
  target: object,
  schema: string,
  always: boolean,
  strictGroups: boolean,
  groups?: string[],
) => ValidationMetadata[];

let installed = false;

/**
 * Resolves class-validator's metadata once per DTO class. On every `validate()` its
 * `MetadataStorage.getTargetValidationMetadatas` filters the class's rules and scans every
 * validated class of the app for parents (`prototype instanceof`), then groups the rules by
 * property: about a sixth of a query DTO's validation on the reference reads. The answer depends
 * only on the registered rules, so it is kept per (class, options) and forgotten whenever a rule
 * is registered (classes loaded later, e.g. the admin panel's, stay correct). The storage is
 * class-validator's public one (`getMetadataStorage()`); the results are read, never changed, by
 * its executor.
 */
export function cacheValidationMetadata(): void {
  if (installed) return;
  installed = true;
  const storage = getMetadataStorage();
  const lookup = storage.getTargetValidationMetadatas.bind(storage) as Lookup;
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let byTarget = new Map<object, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  storage.addValidationMetadata = (metadata: ValidationMetadata) => {
    byTarget = new Map();
    grouped = new WeakMap();
    add(metadata);
  };
  (storage as unknown as { getTargetValidationMetadatas: Lookup }).getTargetValidationMetadatas = (
    target,
    schema,
    always,
    strictGroups,
    groups,
  ) => {
    const key = `${schema}\0${always}\0${strictGroups}\0${groups?.join('\0') ?? ''}`;
    let forTarget = byTarget.get(target);
    if (!forTarget) byTarget.set(target, (forTarget = new Map()));
    let found = forTarget.get(key);
    if (!found) forTarget.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata: ValidationMetadata[]) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
}
